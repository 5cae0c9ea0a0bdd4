"""The weekly phases of the model, one module each; `sim.model.IntroductionModel` gives the order."""
