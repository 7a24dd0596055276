import Learners

/// Where a group action was applied in a learning-curve run.
public enum ActedOn: String, Sendable, Codable, CaseIterable {
  /// Every train and test input transformed by one fixed g (or none).
  case data
  /// The learner changed instead: its kernel symmetrised or averaged over the group.
  case model
}

/// One measured point of a learning curve: a learner at one training-set size, averaged over
/// repeats (random training subsets and group draws).
public struct CurvePoint: Sendable, Hashable, Codable {
  /// The data set's name.
  public var dataset: String
  /// The architecture's catalogue name.
  public var architecture: String
  /// NNGP, NTK or finite-sgd (JSON key `kernel`).
  public var kernel: CurveKernel
  /// The catalogue name of the action, or `none`.
  public var action: String
  /// Whether the action moved the data or the model.
  public var actedOn: ActedOn
  /// The training-set size m.
  public var trainSize: Int
  /// Mean test accuracy (argmax of the prediction against the label).
  public var accuracy: Double
  /// Mean test MSE: the mean over test images and classes of (f(x) - y)^2, y centred one-hot.
  public var mse: Double
  /// Standard deviations over repeats (0 for a single repeat).
  public var accuracyStd: Double
  /// The standard deviation of the test MSE over repeats.
  public var mseStd: Double
  /// The number of repeats averaged.
  public var repeats: Int
  /// For a finite network, the mean over repeats of its training-set MSE (same definition as
  /// `mse`) after the last SGD step, so a reader can see that it fitted; nil for kernel
  /// regression, which interpolates up to its ridge.
  public var trainMSE: Double?
  /// For a finite network, the mean over repeats of the optimiser steps it took (fewer than its
  /// cap when a fitting rule stopped it); nil for kernel regression.
  public var trainSteps: Double? = nil

  enum CodingKeys: String, CodingKey {
    case dataset, architecture, kernel, action, accuracy, mse, repeats
    case actedOn = "acted_on"
    case trainSize = "train_size"
    case accuracyStd = "accuracy_std"
    case mseStd = "mse_std"
    case trainMSE = "train_mse"
    case trainSteps = "train_steps"
  }

  /// The curve this point belongs to.
  public var curve: CurveKey {
    CurveKey(architecture: architecture, kernel: kernel, action: action, actedOn: actedOn)
  }
}

/// Identifies one learning curve: a learner under one action.
public struct CurveKey: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The architecture's catalogue name.
  public var architecture: String
  /// NNGP, NTK or finite-sgd.
  public var kernel: CurveKernel
  /// The catalogue name of the action, or `none`.
  public var action: String
  /// Whether the action moved the data or the model.
  public var actedOn: ActedOn

  /// The curve of `architecture` by `kernel` under `action` on `actedOn`.
  public init(architecture: String, kernel: CurveKernel, action: String, actedOn: ActedOn) {
    self.architecture = architecture
    self.kernel = kernel
    self.action = action
    self.actedOn = actedOn
  }

  public var description: String {
    let acted = action == "none" ? "" : " (\(action) on \(actedOn.rawValue))"
    return "\(architecture) \(kernel.label)\(acted)"
  }
}
