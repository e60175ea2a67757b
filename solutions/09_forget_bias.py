def forget_bias_for(steps, keep):
    forget = keep ** (1 / steps)              # f ** steps == keep
    return math.log(forget / (1 - forget))    # the bias b with sigmoid(b) == f
