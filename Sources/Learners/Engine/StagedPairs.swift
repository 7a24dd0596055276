import Symmetries

/// Pairs of a `StagedProgram`: every stage runs its offset groups as a pooled readout does
/// (`PooledPairs`), lanes over 8 pixel offsets, but scatters its fields into the pair tensor of
/// its output grid instead of summing them; a resampling maps that tensor to the next grid, and
/// the next stage gathers its offset fields from it. The readout reads the last tensor.
///
/// A field entry of lane k at pixel p is S(p, p + d_k): under periodic offsets (every filter of
/// the stage circular) d = (dy, dx0 + k) modulo the grid, H W offsets covering each pair once
/// (lanes past the last offset repeat pairs and are not scattered); under bounded offsets
/// (zero or valid padding) d ranges over (-H', H') x (-W', W') of the stage's output grid and
/// an entry whose partner pixel is off the grid is zero.
/// - Complexity: per pair, the stages' pooled cost on their grids, O(P^2) per gather and
///   scatter, and the resamplings'; memory: the workspace's tensors.
enum StagedPairs {
  /// Runs stages 0 ..< `stageCount` (each but the last of the whole program followed by its
  /// resampling) on the pair (`row`, `column`); returns where the resulting S tensor is (its T
  /// follows it) and its grid's cell count: stage `stageCount`'s input, or the readout's.
  static func run(
    _ staged: StagedProgram, stageCount: Int, row: Int, column: Int, rowTables: [BatchTables],
    rowValues: UnsafePointer<Double>, columnTables: [BatchTables], workspace: EngineWorkspace
  ) -> (tensor: UnsafeMutablePointer<Double>, cells: Int) {
    let capacity = workspace.tensorCells
    var current = workspace.tensors
    var next = workspace.tensors + 2 * capacity * capacity
    let line = workspace.tensors + 4 * capacity * capacity
    var cells = 0
    for k in 0..<stageCount {
      let program = staged.stages[k]
      let outputCells = program.finalPixelCount
      runStage(
        program, index: k, row: row, column: column, rowTables: rowTables[k], rowValues: rowValues,
        columnTables: columnTables[k], source: current, target: next, workspace: workspace)
      swap(&current, &next)
      cells = outputCells
      if k < staged.resamplings.count {
        let resampling = staged.resamplings[k]
        resampling.apply(source: current, target: next, line: line)
        swap(&current, &next)
        cells = resampling.outputCells
      }
    }
    return (current, cells)
  }

  /// (NNGP, NTK) of image `row` of the row tables with image `column` of the column tables.
  static func kernel(
    _ staged: StagedProgram, row: Int, column: Int, rowTables: [BatchTables],
    rowValues: UnsafePointer<Double>, columnTables: [BatchTables], workspace: EngineWorkspace
  ) -> (nngp: Double, ntk: Double) {
    let (tensor, cells) = run(
      staged, stageCount: staged.stages.count, row: row, column: column, rowTables: rowTables,
      rowValues: rowValues, columnTables: columnTables, workspace: workspace)
    let tangent = tensor + cells * cells
    var sumK = 0.0
    var sumT = 0.0
    let count: Int
    if staged.pools {
      for index in 0..<(cells * cells) {
        sumK += tensor[index]
        sumT += tangent[index]
      }
      count = cells * cells
    } else {
      for p in 0..<cells {
        sumK += tensor[p * cells + p]
        sumT += tangent[p * cells + p]
      }
      count = cells
    }
    let nngp = staged.readoutBiasVariance + staged.readoutWeightVariance * (sumK / Double(count))
    return (nngp, nngp + staged.readoutWeightVariance * (sumT / Double(count)))
  }

  /// One stage: gather (from the images for stage 0, else from `source`), run, scatter into
  /// `target` over the stage's output grid.
  private static func runStage(
    _ program: CompiledProgram, index: Int, row: Int, column: Int, rowTables: BatchTables,
    rowValues: UnsafePointer<Double>, columnTables: BatchTables,
    source: UnsafeMutablePointer<Double>, target: UnsafeMutablePointer<Double>,
    workspace: EngineWorkspace
  ) {
    rowTables.rowFactors.withUnsafeBufferPointer { rowFactors in
      columnTables.columnFactors.withUnsafeBufferPointer { columnFactors in
        columnTables.columnData.withUnsafeBufferPointer { columnData in
          runStage(
            program, index: index, row: row, column: column, rowTables: rowTables,
            rowFactors: rowFactors.baseAddress!, rowValues: rowValues, columnTables: columnTables,
            columnFactors: columnFactors.baseAddress!, columnData: columnData.baseAddress,
            source: source, target: target, workspace: workspace)
        }
      }
    }
  }

  private static func runStage(
    _ program: CompiledProgram, index: Int, row: Int, column: Int, rowTables: BatchTables,
    rowFactors: UnsafePointer<Double>, rowValues: UnsafePointer<Double>,
    columnTables: BatchTables, columnFactors: UnsafePointer<Double>,
    columnData: UnsafePointer<Double>?, source: UnsafeMutablePointer<Double>,
    target: UnsafeMutablePointer<Double>, workspace: EngineWorkspace
  ) {
    let extended = columnTables.columnStride
    let planeSize = columnTables.planeRows * extended
    let columnOffset = column - columnTables.range.lowerBound
    let rowFactorBase = rowFactors + rowTables.rowFactorOffset(row)
    let factorBase = columnFactors + columnOffset * rowTables.factorCount * planeSize
    let dataBase = columnData.map { $0 + columnOffset * program.channels * planeSize }
    let rowImage = rowValues + row * program.pixelCount * program.channels
    let height = program.height
    let width = program.width
    let cells = program.pixelCount
    let finalHeight = program.finalHeight
    let finalWidth = program.finalWidth
    let outputCells = program.finalPixelCount
    let sourceT = source + cells * cells
    let targetT = target + outputCells * outputCells
    let covariance = workspace.covariance
    let tangent = workspace.tangent
    if program.periodic {
      for dy in 0..<height {
        var dx0 = 0
        while dx0 < width {
          let factors = ColumnLayout(
            base: factorBase + dx0, channelStride: planeSize, rowStride: extended, elementStride: 1,
            rowShift: dy)
          if index == 0, let dataBase {
            let data = ColumnLayout(
              base: dataBase + dx0, channelStride: planeSize, rowStride: extended, elementStride: 1,
              rowShift: dy)
            FieldOperations.inputCovariance(
              into: covariance, tangent: tangent, rowImage: rowImage, columns: data,
              program: program)
          } else {
            for y in 0..<height {
              let qy = (y + dy) % height
              for x in 0..<width {
                let p = y * width + x
                var s = Lanes(repeating: 0)
                var t = Lanes(repeating: 0)
                for lane in 0..<laneCount {
                  let q = qy * width + (x + dx0 + lane) % width
                  s[lane] = source[p * cells + q]
                  t[lane] = sourceT[p * cells + q]
                }
                covariance[p] = s
                tangent[p] = t
              }
            }
          }
          FieldOperations.run(
            program, workspace: workspace, rowFactors: rowFactorBase, columnFactors: factors,
            hasTangent: index > 0)
          // Circular filters keep the grid: the output grid is the input's.
          let lanes = min(laneCount, width - dx0)
          for y in 0..<height {
            let qy = (y + dy) % height
            for x in 0..<width {
              let p = y * width + x
              let s = covariance[p]
              let t = tangent[p]
              for lane in 0..<lanes {
                let q = qy * width + (x + dx0 + lane) % width
                target[p * cells + q] = s[lane]
                targetT[p * cells + q] = t[lane]
              }
            }
          }
          dx0 += laneCount
        }
      }
    } else {
      for dy in (1 - finalHeight)..<finalHeight {
        var dx0 = 1 - finalWidth
        while dx0 < finalWidth {
          let shift = (columnTables.rowOrigin + dy) * extended + columnTables.columnOrigin + dx0
          let factors = ColumnLayout(
            base: factorBase + shift, channelStride: planeSize, rowStride: extended,
            elementStride: 1, rowShift: 0)
          let mask = OffsetMask(dy: dy, dx0: dx0)
          if index == 0, let dataBase {
            let data = ColumnLayout(
              base: dataBase + shift, channelStride: planeSize, rowStride: extended,
              elementStride: 1,
              rowShift: 0)
            FieldOperations.inputCovariance(
              into: covariance, tangent: tangent, rowImage: rowImage, columns: data,
              program: program)
          } else {
            for y in 0..<height {
              let qy = y + dy
              for x in 0..<width {
                let p = y * width + x
                var s = Lanes(repeating: 0)
                var t = Lanes(repeating: 0)
                if qy >= 0 && qy < height {
                  for lane in 0..<laneCount {
                    let qx = x + dx0 + lane
                    guard qx >= 0 && qx < width else { continue }
                    s[lane] = source[p * cells + qy * width + qx]
                    t[lane] = sourceT[p * cells + qy * width + qx]
                  }
                }
                covariance[p] = s
                tangent[p] = t
              }
            }
          }
          FieldOperations.run(
            program, workspace: workspace, rowFactors: rowFactorBase, columnFactors: factors,
            mask: mask, hasTangent: index > 0)
          for y in 0..<finalHeight {
            let qy = y + dy
            guard qy >= 0 && qy < finalHeight else { continue }
            for x in 0..<finalWidth {
              let field = y * width + x
              let p = y * finalWidth + x
              let s = covariance[field]
              let t = tangent[field]
              for lane in 0..<laneCount {
                let qx = x + dx0 + lane
                guard qx >= 0 && qx < finalWidth else { continue }
                target[p * outputCells + qy * finalWidth + qx] = s[lane]
                targetT[p * outputCells + qy * finalWidth + qx] = t[lane]
              }
            }
          }
          dx0 += laneCount
        }
      }
    }
  }

  /// Every stage's tables for `range` of `batch`: stage 0's from the images, stage k's from the
  /// diagonal of each image's own pair tensor entering stage k (run through stages 0 ..< k).
  /// - Complexity: O(stages) self-pair runs per image, spread over `threads`.
  static func tables(
    _ staged: StagedProgram, _ batch: ImageBatch, range: Range<Int>, threads: Int
  ) -> [BatchTables] {
    var list = [BatchTables(batch, range: range, program: staged.stages[0])]
    for k in 1..<max(1, staged.stages.count) {
      let stage = staged.stages[k]
      var variances = [[Double]](repeating: [], count: range.count)
      let known = list
      variances.withUnsafeMutableBufferPointer { buffer in
        let output = buffer
        batch.values.withUnsafeBufferPointer { values in
          ParallelItems.run(
            count: range.count, threads: threads, pixels: staged.largestField, taps: staged.taps,
            tensorCells: staged.largestCells
          ) { workspace, item in
            let image = range.lowerBound + item
            let (tensor, cells) = run(
              staged, stageCount: k, row: image, column: image, rowTables: known,
              rowValues: values.baseAddress!, columnTables: known, workspace: workspace)
            let diagonal = (0..<cells).map { p in tensor[p * cells + p] }
            output[item] = stage.activationVariances(fromDiagonal: diagonal)
          }
        }
      }
      list.append(BatchTables(batch, range: range, program: stage, variances: variances))
    }
    return list
  }
}
