import Foundation
import Learners
import Symmetries

/// Finite-width networks trained by minibatch SGD as learners of a learning-curve experiment:
/// docs/design.md's fifth claim, that finite CNN-VEC beats its own infinite-width kernel on natural
/// images because its shared filters break the kernel's spurious O(C)^P symmetry, and that the
/// advantage disappears once the data are acted on by O(C)^P.
///
/// Set it as `LearningCurveExperiment.finite`: the networks then train on exactly the training
/// subsets and group elements that the kernel learners of each repeat use, so every difference
/// between a finite network and a kernel is paired. The network of repeat r at size m starts
/// from the same initialisation and visits its minibatches in the same order whatever the
/// action, so its natural and acted-on runs differ only by g.
///
/// Training: the experiment's depth and activation in NTK parameterisation (neural-tangents'
/// `stax`) or standard parameterisation (`parameterisation`), `width` channels, the loss
/// L = 1 / (2 m k) * sum_{i, j} (f_j(x_i) - y_ij)^2 on centred one-hot targets (the squared error
/// the kernels' regression minimises), SGD with rate `learningRate` on minibatches of
/// b = min(`batchSize`, m) images for max(`minimumSteps`, `epochs` * m / b) steps, or fewer when
/// a `fittingRule` finds the training set fitted first. Each point reports the trained network's
/// test accuracy and MSE, its training MSE (2 L over the whole training set) to show whether it
/// fitted, and the steps it took.
public struct FiniteCurveExperiment: Sendable {
  /// The architectures trained (CNN-VEC by default; LCN is the finite control that keeps
  /// O(C)^P, at the same cost per step).
  public var architectures: [NamedArchitecture] = [.cnnVec]
  /// The data actions trained on, by their report labels (`CurveAction.description`); each must
  /// be one of the experiment's data actions, whose draws it shares.
  public var actions: [String] = ["none", "pixelwise-channel-rotation"]
  /// Channels of every hidden layer.
  public var width = 32
  /// Where the 1 / sqrt(fan-in) sits (`Parameterisation`); the learning rate means different
  /// things in the two.
  public var parameterisation = Parameterisation.ntk
  /// The SGD learning rate.
  public var learningRate = 2.0
  /// Training images per SGD step.
  public var batchSize = 32
  /// Passes over the training set (at least `minimumSteps` steps); with a `fittingRule`, the cap.
  public var epochs = 50
  /// The fewest SGD steps a network takes, however small its training set.
  public var minimumSteps = 200
  /// Stop each network as soon as its training MSE reaches the rule's threshold (nil: train for
  /// the full `steps(trainSize:)`).
  public var fittingRule: FittingRule? = nil
  /// A cap on the training-set size (nil: the experiment's largest).
  public var maxTrainSize: Int? = nil
  /// The sizes to train at, each one of the experiment's (nil: every size up to the cap). The
  /// claims train at the one size they decide at: a network per size costs its own steps.
  public var trainSizes: [Int]? = nil
  /// Whether the learner is the centred network f_theta - f_theta0, trained on y and predicting
  /// f_theta(x) - f_theta0(x). At initialisation a network in NTK parameterisation outputs a
  /// random function of variance about the NNGP diagonal (~1, against 0.09 for the centred
  /// one-hot targets), which SGD removes on the training images but not elsewhere: uncentred,
  /// the test MSE measures mostly f_0. The kernels' predictors are means over initialisations,
  /// which have no f_0 either; the infinitely wide centred network trained by gradient flow is
  /// exactly the NTK predictor. Trained by `FiniteNetwork.trainedCentred` (`CentredNetwork`),
  /// as the ensemble probe's default learner.
  public var centred = true

  /// The default experiment: width 32, NTK parameterisation, rate 2, batch 32, centred.
  public init() {}

  /// The minibatch size at training-set size m.
  public func batchSize(trainSize m: Int) -> Int { Swift.min(batchSize, m) }

  /// The SGD steps at training-set size m.
  public func steps(trainSize m: Int) -> Int {
    Swift.max(minimumSteps, (epochs * m + batchSize(trainSize: m) - 1) / batchSize(trainSize: m))
  }

  /// A one-line description of the training recipe.
  public var recipe: String {
    "\(centred ? "centred, " : "")\(parameterisation) parameterisation, width \(width), SGD lr \(learningRate), "
      + "batch \(batchSize), "
      + (fittingRule.map { "until train MSE <= \($0.trainMSE), at most " } ?? "")
      + "max(\(minimumSteps), \(epochs) epochs) steps"
  }

  /// Throws unless the settings can run with `dataActions`.
  func validate(dataActions: [CurveAction], experimentSizes: Set<Int>) throws {
    let labels = dataActions.map(\.description)
    for action in actions where !labels.contains(action) {
      throw ProbeError.invalidOption(
        "finite networks train on the experiment's data actions (\(labels.joined(separator: ", "))); "
          + "'\(action)' is not one of them: add it to the data actions or drop it")
    }
    guard width > 0, batchSize > 0, epochs >= 0, minimumSteps > 0 else {
      throw ProbeError.invalidOption(
        "finite networks need a positive width, batch size and minimum step count and non-negative "
          + "epochs, got width \(width), batch \(batchSize), minimum steps \(minimumSteps), epochs \(epochs)"
      )
    }
    guard learningRate.isFinite, learningRate > 0 else {
      throw ProbeError.invalidOption(
        "the SGD learning rate must be positive and finite, got \(learningRate)")
    }
    if let maxTrainSize, maxTrainSize < 1 {
      throw ProbeError.invalidOption(
        "the finite networks' largest training set must be positive, got \(maxTrainSize)")
    }
    if let trainSizes, trainSizes.isEmpty || !Set(trainSizes).isSubset(of: experimentSizes) {
      throw ProbeError.invalidOption(
        "the finite networks train at sizes of the experiment (\(experimentSizes.sorted())); got \(trainSizes)"
      )
    }
  }

  /// Trains one network per (architecture, action, repeat, size) and measures it.
  ///
  /// - Parameters:
  ///   - subsets: each repeat's training images, nested (size m is the first m).
  ///   - elements: each repeat's element of every data action (nil for `none`).
  /// - Complexity: per network, `steps(trainSize: m)` forward and backward passes over a batch.
  func measure(
    _ experiment: LearningCurveExperiment, test: LabelledImages, subsets: [LabelledImages],
    elements: [[(any GroupAction)?]], progress: (String) -> Void
  ) throws -> [Measurement] {
    let shape = test.images.shape
    let testTargets = test.centredOneHotTargets
    let sizes =
      trainSizes?.sorted()
      ?? experiment.trainSizes.filter {
        $0 <= Swift.min(maxTrainSize ?? .max, experiment.trainSizes.last ?? 0)
      }
    let cap = sizes.last ?? 0
    let labels = experiment.dataActions.map(\.description)
    var records: [Measurement] = []
    for architecture in architectures {
      let layers = try architecture.architecture(
        depth: experiment.depth, activation: experiment.activation)
      for action in actions {
        let index = labels.firstIndex(of: action)!
        for (r, subset) in subsets.enumerated() {
          var train = subset.images.selecting(uncheckedIndices: 0..<cap)
          var testImages = test.images
          if let g = elements[r][index] {
            train = try g.apply(to: train)
            testImages = try g.apply(to: testImages)
          }
          let targets = try subset.prefix(cap).centredOneHotTargets
          for m in sizes {
            let start = Date()
            // Seeds depend on (seed, repeat, size) only: the same start and batch order for
            // every action and architecture (architectures differ in parameter count anyway).
            let runSeed =
              experiment.seed &+ 0xF1_7E &+ UInt64(r) &* 0x9E37_79B9 &+ UInt64(m) &* 0x85EB_CA6B
            let network = try FiniteNetwork(
              architecture: layers, inputShape: shape, width: width, outputs: targets.columns,
              seed: runSeed, parameterisation: parameterisation)
            let steps = steps(trainSize: m)
            let images = train.selecting(uncheckedIndices: 0..<m)
            let fitted = targets.leadingBlock(rows: m, columns: targets.columns)
            let optimizer = Optimizer.sgd(
              learningRate: learningRate, batchSize: batchSize(trainSize: m))
            let prediction: Matrix
            let losses: [Double]
            if centred {
              let run = try network.trainedCentred(
                on: images, targets: fitted, optimizer: optimizer, steps: steps, until: fittingRule,
                seed: runSeed &+ 1)
              prediction = try run.predictions(testImages)
              losses = run.losses
            } else {
              let run = try network.trained(
                on: images, targets: fitted, optimizer: optimizer, steps: steps, until: fittingRule,
                seed: runSeed &+ 1)
              prediction = try run.network.predictions(testImages)
              losses = run.losses
            }
            let record = Measurement(
              key: CurveKey(
                architecture: architecture.rawValue, kernel: .finiteSGD, action: action,
                actedOn: .data),
              trainSize: m, repeat: r, accuracy: accuracy(prediction, labels: test.labels),
              mse: meanSquaredError(prediction, testTargets), trainMSE: 2 * losses.last!,
              steps: losses.count - 1)
            records.append(record)
            progress(
              String(
                format:
                  "%@ SGD %@, repeat %d/%d, m = %d: %d steps (cap %d), train MSE %.4f (first batch %.4f), "
                  + "test accuracy %.3f, MSE %.4f: %.1f s",
                architecture.rawValue, action, r + 1, subsets.count, m, losses.count - 1, steps,
                record.trainMSE!,
                2 * losses.first!, record.accuracy, record.mse, Date().timeIntervalSince(start)))
          }
        }
      }
    }
    return records
  }
}
