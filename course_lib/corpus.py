"""Text to learn from, available offline with every Python installation."""
import pydoc_data.topics


def python_docs_text():
    """About 465,000 characters of English: the Python help topics, in a fixed order."""
    topics = pydoc_data.topics.topics
    return "".join(topics[name] for name in sorted(topics))


def split_text(text, held_out=0.1):
    """(train, validation): the last `held_out` fraction of the text is held out."""
    cut = int(len(text) * (1 - held_out))
    return text[:cut], text[cut:]
