import Learners

/// The architecture this package is about: a convolution, 2 x 2 average pooling with stride 2,
/// a second convolution, global average pooling. Pooling with stride 2 should keep circular
/// translations by even shifts only, and the 3 x 3 filters should keep the transpose.
public let pooledNetwork = "conv(3) relu avgpool(2) conv(3) relu gap readout"

/// The same in Swift: an `Architecture`, whose kernels, finite network and predicted row the
/// package gives with no code here.
public func pooledArchitecture() throws -> Architecture { try Architecture(parsing: pooledNetwork) }
