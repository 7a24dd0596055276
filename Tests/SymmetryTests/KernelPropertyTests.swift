import Learners
import Symmetries
import Testing

// MARK: - Test-local helpers

/// A reproducible batch of standard-normal images.
private func gaussianBatch(count: Int, height: Int, width: Int, channels: Int, seed: UInt64) throws
  -> ImageBatch
{
  var generator = SeededGenerator(seed: seed)
  let values = (0..<(count * height * width * channels)).map { _ in generator.gaussian() }
  return try ImageBatch(
    count: count, height: height, width: width, channels: channels, values: values)
}

/// The eigenvalues of a symmetric matrix by cyclic Jacobi rotations (test-only, small n).
private func symmetricEigenvalues(_ matrix: Matrix) -> [Double] {
  let n = matrix.rows
  var a = (0..<n).map { i in (0..<n).map { j in matrix[i, j] } }
  for _ in 0..<100 {
    var offDiagonal = 0.0
    for i in 0..<n { for j in 0..<n where i != j { offDiagonal += a[i][j] * a[i][j] } }
    if offDiagonal < 1e-30 { break }
    for p in 0..<n {
      for q in (p + 1)..<n where a[p][q] != 0 {
        let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
        let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
        let c = 1 / (t * t + 1).squareRoot()
        let s = t * c
        for k in 0..<n {
          let akp = a[k][p]
          let akq = a[k][q]
          a[k][p] = c * akp - s * akq
          a[k][q] = s * akp + c * akq
        }
        for k in 0..<n {
          let apk = a[p][k]
          let aqk = a[q][k]
          a[p][k] = c * apk - s * aqk
          a[q][k] = s * apk + c * aqk
        }
      }
    }
  }
  return (0..<n).map { a[$0][$0] }
}

/// The batch with every image circularly shifted by (dy, dx).
private func translated(_ batch: ImageBatch, dy: Int, dx: Int) throws -> ImageBatch {
  let (h, w, c) = (batch.shape.height, batch.shape.width, batch.shape.channels)
  var values = batch.values
  for i in 0..<batch.count {
    for y in 0..<h {
      for x in 0..<w {
        for k in 0..<c {
          values[((i * h + (y + dy) % h) * w + (x + dx) % w) * c + k] = batch[i, y, x, k]
        }
      }
    }
  }
  return try ImageBatch(shape: batch.shape, values: values)
}

/// The largest |a - b| over the largest |b|.
private func relativeDistance(_ a: Matrix, _ b: Matrix) -> Double {
  zip(a.storage, b.storage).reduce(0) { max($0, abs($1.0 - $1.1)) } / b.maxAbsoluteEntry
}

/// The case grid of the property claims: every named architecture, activation and padding.
private struct Case: Sendable, CustomTestStringConvertible {
  let name: NamedArchitecture
  let activation: Activation
  let padding: Padding

  var testDescription: String { "\(name) \(activation) \(padding)" }

  func architecture(depth: Int = 2) throws -> Architecture {
    try name.architecture(depth: depth, activation: activation, padding: padding)
  }

  static let all: [Case] = NamedArchitecture.allCases.flatMap { name in
    Activation.allCases.flatMap { activation in
      Padding.allCases.map { Case(name: name, activation: activation, padding: $0) }
    }
  }
}

@Suite("Kernel properties")
struct KernelPropertyTests {
  /// Round-off of float64 sums over at most a few hundred terms, times a safety factor of 100.
  static let roundOff = 1e-12
  /// Jacobi eigenvalues of a 7 x 7 PSD matrix are exact to about n eps max|K|; -1e-12 max|K|
  /// allows that and still rejects a genuinely indefinite matrix.
  static let eigenvalueFloor = -1e-12

  @Test(
    "LCN and CNN-VEC kernels are equal, bit for bit, for every padding",
    arguments: Activation.allCases, Padding.allCases)
  func lcnEqualsCnnVec(activation: Activation, padding: Padding) throws {
    let batch = try gaussianBatch(count: 5, height: 7, width: 8, channels: 2, seed: 7)
    for depth in 1...3 {
      let lcn = try NamedArchitecture.lcn.architecture(
        depth: depth, activation: activation, padding: padding)
      let vec = try NamedArchitecture.cnnVec.architecture(
        depth: depth, activation: activation, padding: padding)
      #expect(try lcn.kernels(batch, nil) == vec.kernels(batch, nil), "depth \(depth)")
    }
  }

  @Test("Weight sharing matters under pooling: LCN with global pooling differs from CNN-GAP")
  func sharingMattersUnderPooling() throws {
    let batch = try gaussianBatch(count: 4, height: 4, width: 4, channels: 2, seed: 8)
    let local = try Architecture(parsing: "local(3) relu local(3) relu gap dense")
    let conv = try Architecture(parsing: "conv(3) relu conv(3) relu gap dense")
    // An effect-size floor: the two differ by far more than round-off.
    #expect(
      relativeDistance(try local.kernels(batch, nil).nngp, try conv.kernels(batch, nil).nngp) > 1e-3
    )
  }

  @Test(
    "Gram matrices are exactly symmetric and positive semi-definite",
    arguments: Case.all)
  fileprivate func symmetricPositiveSemiDefinite(_ testCase: Case) throws {
    let batch = try gaussianBatch(count: 7, height: 5, width: 6, channels: 2, seed: 11)
    let kernels = try testCase.architecture().kernels(batch, nil)
    for matrix in [kernels.nngp, kernels.ntk] {
      #expect(matrix == matrix.transposed)
      let smallest = symmetricEigenvalues(matrix).min() ?? 0
      #expect(smallest >= Self.eigenvalueFloor * matrix.maxAbsoluteEntry)
    }
  }

  @Test(
    "Swapping the two batches transposes the Gram matrices, bit for bit",
    arguments: Case.all.filter { $0.padding == .same })
  fileprivate func swappingTransposes(_ testCase: Case) throws {
    let a = try gaussianBatch(count: 3, height: 4, width: 4, channels: 2, seed: 12)
    let b = try gaussianBatch(count: 4, height: 4, width: 4, channels: 2, seed: 13)
    let architecture = try testCase.architecture()
    let ab = try architecture.kernels(a, b)
    let ba = try architecture.kernels(b, a)
    #expect(ab.nngp == ba.nngp.transposed && ab.ntk == ba.ntk.transposed)
  }

  @Test(
    "A block computed alone equals the same block of the full Gram matrix, bit for bit",
    arguments: [NamedArchitecture.cnnVec, .cnnGap])
  func blockEqualsFullMatrix(_ name: NamedArchitecture) throws {
    let batch = try gaussianBatch(count: 6, height: 4, width: 4, channels: 2, seed: 14)
    let architecture = try name.architecture(depth: 2, activation: .relu)
    let full = try architecture.kernels(batch, nil)
    for (rows, columns) in [(1..<4, 2..<6), (2..<5, 2..<5), (0..<6, 0..<1)] {
      let block = try architecture.kernels(batch, nil, rows: rows, columns: columns)
      for (bi, i) in rows.enumerated() {
        for (bj, j) in columns.enumerated() {
          #expect(block.nngp[bi, bj] == full.nngp[i, j] && block.ntk[bi, bj] == full.ntk[i, j])
        }
      }
    }
  }

  @Test(
    "Serial and parallel evaluation give the same bits",
    arguments: NamedArchitecture.allCases)
  func threadCountDoesNotChangeBits(_ name: NamedArchitecture) throws {
    let a = try gaussianBatch(count: 9, height: 4, width: 4, channels: 2, seed: 15)
    let b = try gaussianBatch(count: 5, height: 4, width: 4, channels: 2, seed: 16)
    let architecture = try name.architecture(depth: 2, activation: .erf)
    #expect(
      try architecture.referenceKernels(a, nil, parallel: false)
        == architecture.referenceKernels(a, nil, parallel: true))
    #expect(
      try architecture.referenceKernels(a, b, parallel: false)
        == architecture.referenceKernels(a, b, parallel: true))
  }

  @Test(
    "Averaging CNN-VEC over circular translations of one argument gives CNN-GAP",
    arguments: Activation.allCases)
  func poolingIsTranslationAveraging(_ activation: Activation) throws {
    let a = try gaussianBatch(count: 3, height: 4, width: 3, channels: 2, seed: 17)
    let b = try gaussianBatch(count: 2, height: 4, width: 3, channels: 2, seed: 18)
    let vec = try NamedArchitecture.cnnVec.architecture(depth: 2, activation: activation)
    let gap = try NamedArchitecture.cnnGap.architecture(depth: 2, activation: activation)
    var nngp = try Matrix(rows: 3, columns: 2)
    var ntk = try Matrix(rows: 3, columns: 2)
    for dy in 0..<4 {
      for dx in 0..<3 {
        let shifted = try vec.kernels(a, translated(b, dy: dy, dx: dx))
        for i in 0..<nngp.storage.count {
          nngp.storage[i] += shifted.nngp.storage[i] / 12
          ntk.storage[i] += shifted.ntk.storage[i] / 12
        }
      }
    }
    let pooled = try gap.kernels(a, b)
    #expect(relativeDistance(nngp, pooled.nngp) <= Self.roundOff)
    #expect(relativeDistance(ntk, pooled.ntk) <= Self.roundOff)
  }

  @Test("A closure conforms to KernelFunction, and its blocks come from the same closure")
  func closureKernel() throws {
    let kernel = ClosureKernel { x1, x2 in
      let other = x2 ?? x1
      var gram = try Matrix(rows: x1.count, columns: other.count)
      for i in 0..<x1.count {
        for j in 0..<other.count {
          gram[i, j] = zip(x1.image(i), other.image(j)).reduce(0) { $0 + $1.0 * $1.1 }
        }
      }
      return try KernelMatrices(nngp: gram, ntk: gram)
    }
    let batch = try gaussianBatch(count: 4, height: 2, width: 2, channels: 1, seed: 19)
    let full = try kernel.kernels(batch, nil)
    let block = try kernel.kernels(batch, nil, rows: 1..<3, columns: 0..<2)
    #expect(block.nngp[1, 0] == full.nngp[2, 0])
    #expect(throws: KernelError.self) {
      try kernel.kernels(batch, nil, rows: 0..<5, columns: 0..<1)
    }
  }
}

// MARK: - Padding conventions

/// One affine layer, a reduction and a readout, from the definition: explicit padded images and
/// the covariance of z(p) = W/sqrt(C k^2) sum_{d,c} w_{d,c} xpad(p + d, c) + b.
private func directKernel(
  _ x: ImageBatch, _ i: Int, _ j: Int, filterSize k: Int, padding: Padding, shared: Bool,
  pooled: Bool, weightStd: Double, biasStd: Double, readoutWeightStd: Double, readoutBiasStd: Double
) -> (nngp: Double, ntk: Double) {
  let (h, w, c) = (x.shape.height, x.shape.width, x.shape.channels)
  // Padding before the image: (k - 1) / 2, as lax.padtype_to_pads(SAME); none for valid.
  let lo = padding == .valid ? 0 : (k - 1) / 2
  let (outH, outW) = padding == .valid ? (h - k + 1, w - k + 1) : (h, w)
  func padded(_ image: Int, _ y: Int, _ x0: Int, _ channel: Int) -> Double {
    var (row, column) = (y - lo, x0 - lo)
    if padding == .circular {
      row = (row % h + h) % h
      column = (column % w + w) % w
    }
    guard row >= 0, row < h, column >= 0, column < w else { return 0 }
    return x[image, row, column, channel]
  }
  func covariance(_ p: (Int, Int), _ q: (Int, Int)) -> Double {
    if !shared && p != q { return 0 }
    var sum = 0.0
    for dy in 0..<k {
      for dx in 0..<k {
        for channel in 0..<c {
          sum += padded(i, p.0 + dy, p.1 + dx, channel) * padded(j, q.0 + dy, q.1 + dx, channel)
        }
      }
    }
    return biasStd * biasStd + weightStd * weightStd * sum / Double(c * k * k)
  }
  let pixels = (0..<outH).flatMap { y in (0..<outW).map { (y, $0) } }
  var reduced = 0.0
  if pooled {
    for p in pixels { for q in pixels { reduced += covariance(p, q) } }
    reduced /= Double(pixels.count * pixels.count)
  } else {
    for p in pixels { reduced += covariance(p, p) }
    reduced /= Double(pixels.count)
  }
  let nngp = readoutBiasStd * readoutBiasStd + readoutWeightStd * readoutWeightStd * reduced
  // The first layer's NTK equals its NNGP (T0 = 0), so the readout adds W^2 times the same mean.
  return (nngp, nngp + readoutWeightStd * readoutWeightStd * reduced)
}

@Suite("Padding conventions")
struct KernelPaddingTests {
  /// Sums of at most a few hundred products in a different order: float64 round-off.
  static let roundOff = 1e-13

  @Test(
    "One affine layer matches its definition on explicitly padded images",
    arguments: [1, 2, 3], Padding.allCases)
  func matchesDirectDefinition(filterSize: Int, padding: Padding) throws {
    var generator = SeededGenerator(seed: 21)
    let values = (0..<(3 * 4 * 5 * 2)).map { _ in generator.gaussian() }
    let batch = try ImageBatch(count: 3, height: 4, width: 5, channels: 2, values: values)
    for (layer, shared) in [("conv", true), ("local", false)] {
      for (reduction, pooled) in [("flatten", false), ("gap", true)] {
        let text =
          "\(layer)(\(filterSize),\(padding),w=1.3,b=0.2) \(reduction) readout(w=0.9,b=0.4)"
        let kernels = try Architecture(parsing: text).kernels(batch, nil)
        for i in 0..<3 {
          for j in 0..<3 {
            let expected = directKernel(
              batch, i, j, filterSize: filterSize, padding: padding, shared: shared, pooled: pooled,
              weightStd: 1.3, biasStd: 0.2, readoutWeightStd: 0.9, readoutBiasStd: 0.4)
            #expect(
              abs(kernels.nngp[i, j] - expected.nngp) <= Self.roundOff * abs(expected.nngp),
              "\(text)")
            #expect(
              abs(kernels.ntk[i, j] - expected.ntk) <= Self.roundOff * abs(expected.ntk), "\(text)")
          }
        }
      }
    }
  }

  @Test(
    "On a 3 x 3 image of ones a 3 x 3 filter averages 49/81 with same, 1 with circular and valid",
    arguments: [(Padding.same, 49.0 / 81), (.circular, 1), (.valid, 1)])
  func onesImage(padding: Padding, expected: Double) throws {
    // same: the corner, edge and centre pixels see 4, 6 and 9 of the 9 taps inside the image,
    // and the mean still divides by 9: (4 * 4 + 4 * 6 + 9) / 9 / 9 = 49/81.
    let ones = try ImageBatch(
      count: 1, height: 3, width: 3, channels: 1, values: Array(repeating: 1, count: 9))
    let architecture = try Architecture(
      parsing: "conv(3,\(padding),w=1,b=0) flatten readout(w=1,b=0)")
    let kernels = try architecture.kernels(ones, nil)
    #expect(abs(kernels.nngp[0, 0] - expected) <= 1e-15)
    #expect(abs(kernels.ntk[0, 0] - 2 * expected) <= 1e-15)
  }

  @Test("An even filter puts its extra tap after the pixel, as lax SAME padding does")
  func evenFilterOffsets() throws {
    // A 1 x 2 image (1, 0) under a 2 x 2 same filter: offsets {0, 1} per axis. Only output
    // pixel 0 reads the 1 (at offset 0), so K = 1 / (2 pixels * 4 taps) = 1/8; offsets {-1, 0}
    // would let both output pixels read it, giving 1/4.
    let image = try ImageBatch(count: 1, height: 1, width: 2, channels: 1, values: [1, 0])
    let architecture = try Architecture(parsing: "conv(2,same,w=1,b=0) flatten readout(w=1,b=0)")
    #expect(try architecture.kernels(image, nil).nngp[0, 0] == 0.125)
  }
}
