C     Trapezoid-rule quadrature, FORTRAN 77 style, reduced over MPI ranks.
C     Each rank integrates its share of the interval; rank 0 prints the sum.
      PROGRAM TRAPEZ
      IMPLICIT NONE
      INCLUDE 'mpif.h'
      INTEGER N, I, IERR, RANK, NPROCS
      DOUBLE PRECISION A, B, H, X, LOCAL, TOTAL, F
      PARAMETER (N = 100000)
      CALL MPI_INIT(IERR)
      CALL MPI_COMM_RANK(MPI_COMM_WORLD, RANK, IERR)
      CALL MPI_COMM_SIZE(MPI_COMM_WORLD, NPROCS, IERR)
      A = 0.0D0
      B = 1.0D0
      H = (B - A) / DBLE(N)
      LOCAL = 0.0D0
C$OMP PARALLEL DO PRIVATE(X) REDUCTION(+:LOCAL)
      DO 10 I = RANK + 1, N, NPROCS
         X = A + (DBLE(I) - 0.5D0) * H
         LOCAL = LOCAL + F(X)
   10 CONTINUE
C$OMP END PARALLEL DO
      LOCAL = LOCAL * H
      CALL MPI_REDUCE(LOCAL, TOTAL, 1, MPI_DOUBLE_PRECISION, MPI_SUM, 0,
     &                MPI_COMM_WORLD, IERR)
      IF (RANK .EQ. 0) THEN
         WRITE (*, 100) TOTAL
      END IF
  100 FORMAT ('INTEGRAL = ', F16.12)
      CALL MPI_FINALIZE(IERR)
      END

      DOUBLE PRECISION FUNCTION F(X)
      DOUBLE PRECISION X
      F = 4.0D0 / (1.0D0 + X * X)
      RETURN
      END
