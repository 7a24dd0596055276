// A user's test file imports `Testing` and this module and nothing else: the actions,
// architectures, learners and probes its claims name are part of this module's vocabulary.
@_exported import Learners
@_exported import Probes
@_exported import Symmetries
