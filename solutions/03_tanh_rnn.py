class TanhRNN(RecurrentModel):
    def build(self):
        self.input_to_hidden = nn.Linear(self.input_size, self.hidden_size)
        self.hidden_to_hidden = nn.Linear(self.hidden_size, self.hidden_size)
        self.readout = nn.Linear(self.hidden_size, self.output_size)

    def step(self, x_t, h):                  # (B, I), (B, H) -> (B, O), (B, H)
        h = torch.tanh(self.hidden_to_hidden(h) + self.input_to_hidden(x_t))
        return self.readout(h), h

# Which suits a sinusoid better? The linear model: a sinusoid obeys the linear recurrence
# x(t+1) = 2 cos(w) x(t) - x(t-1), which 2 linear units hold exactly, while tanh bends every
# step and 8 tanh units can only approximate it: compare the two free-running MSEs.
