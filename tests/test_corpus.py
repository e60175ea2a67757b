from course_lib.corpus import python_docs_text, split_text


def test_offline_corpus_is_large_and_the_same_every_time():
    text = python_docs_text()
    assert len(text) > 400_000 and text == python_docs_text()


def test_split_holds_out_the_end():
    train, validation = split_text("abcdefghij", held_out=0.2)
    assert (train, validation) == ("abcdefgh", "ij")
