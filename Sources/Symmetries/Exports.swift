// The matrix type, the seeded generator and the linear algebra are part of this module's
// public vocabulary (a rotation is a Matrix, every random action takes a SeededGenerator).
@_exported import LinearAlgebra
