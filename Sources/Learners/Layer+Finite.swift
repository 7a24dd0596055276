import Foundation
import Symmetries

extension Layer {
  /// This layer's finite-width pass on a grid of `cells` x `channels` features (with
  /// `height` x `width` pixels), parameters starting at `offset`.
  ///
  /// The finite counterpart of the kernel recursion in `KernelPlan`, in NTK parameterisation
  /// exactly as neural-tangents' `stax` (init: every weight and bias i.i.d. N(0, 1); apply:
  /// z = W_std / sqrt(fan-in) * W x + b_std * b):
  ///
  /// - affine, shared (`conv`, and `dense`/`readout` as a one-cell, one-tap grid): weights
  ///   W[j * C_in + c, c_out] for tap j, one bias per output channel, fan-in = k^2 C_in;
  /// - affine, `perLocation` (`local`): the convolution's geometry with its own weights
  ///   W[o, j * C_in + c, c_out] and bias b[o, c_out] at every output pixel o;
  /// - activation: phi pointwise; flatten: the features as one vector of cells * channels;
  ///   global average pooling: mean over the cells per channel.
  ///
  /// `hiddenWidth` is the channel count of every hidden affine layer; the last affine layer
  /// has `outputs` channels.
  /// - Complexity: O(H W k^2) for the tap table.
  func finiteStep(
    position: Int, height: Int, width: Int, channels: Int, hiddenWidth: Int, outputs: Int,
    isLast: Bool, offset: Int
  ) throws(FiniteError) -> FiniteStep {
    let cells = height * width
    switch self {
    case .affine(let affine):
      guard let table = TapTable(affine, height: height, width: width) else {
        throw .filterLargerThanImage(
          layer: position, filterSize: affine.filterSize, height: height, width: width)
      }
      let inputChannels = affine.sharing == .none ? cells * channels : channels
      return FiniteStep.affine(
        table: table, perLocation: affine.sharing == .perLocation,
        inputCells: affine.sharing == .none ? 1 : cells, inputChannels: inputChannels,
        outputChannels: isLast ? outputs : hiddenWidth, weightStd: affine.weightStd,
        biasStd: affine.biasStd, offset: offset)
    case .readout(let weightStd, let biasStd):
      return FiniteStep.affine(
        table: .vector, perLocation: false, inputCells: 1, inputChannels: cells * channels,
        outputChannels: outputs, weightStd: weightStd, biasStd: biasStd, offset: offset)
    case .activation(let activation):
      return FiniteStep(
        operation: .activation(activation), inputCells: cells, inputChannels: channels,
        outputCells: cells, outputChannels: channels, outputHeight: height, outputWidth: width)
    case .flatten:
      return FiniteStep(
        operation: .flatten, inputCells: cells, inputChannels: channels, outputCells: 1,
        outputChannels: cells * channels, outputHeight: 1, outputWidth: 1)
    case .globalAveragePooling:
      return FiniteStep(
        operation: .pool, inputCells: cells, inputChannels: channels, outputCells: 1,
        outputChannels: channels, outputHeight: 1, outputWidth: 1)
    }
  }
}

extension Activation {
  /// phi(x).
  @inline(__always)
  func value(_ x: Double) -> Double {
    switch self {
    case .relu: return x > 0 ? x : 0
    case .erf: return Foundation.erf(x)
    }
  }

  /// phi'(x), with relu'(0) = 0 as in JAX.
  @inline(__always)
  func derivative(_ x: Double) -> Double {
    switch self {
    case .relu: return x > 0 ? 1 : 0
    case .erf: return 2 / Double.pi.squareRoot() * exp(-x * x)
    }
  }
}
