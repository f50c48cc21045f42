C     Dot product in FORTRAN 77 fixed form with a COMMON block and labels,
C     for the golden tests.
      PROGRAM DOTPRD
      IMPLICIT NONE
      INTEGER N
      PARAMETER (N = 1000)
      DOUBLE PRECISION X(N), Y(N), S, DDOT
      INTEGER I, NCALL
      COMMON /STATS/ NCALL
      EXTERNAL DDOT
      NCALL = 0
      DO 10 I = 1, N
         X(I) = DBLE(I)
         Y(I) = 1.0D0 / DBLE(I)
   10 CONTINUE
      S = DDOT(N, X, Y)
      IF (ABS(S - DBLE(N)) .GT. 1.0D-9) GO TO 900
      WRITE (*, 100) S, NCALL
  100 FORMAT (' DOT = ', F12.4, ' CALLS = ', I3)
      STOP
  900 WRITE (*, *) 'WRONG RESULT', S
      STOP 1
      END

      DOUBLE PRECISION FUNCTION DDOT(N, X, Y)
      INTEGER N, I, NCALL
      DOUBLE PRECISION X(N), Y(N)
      COMMON /STATS/ NCALL
      NCALL = NCALL + 1
      DDOT = 0.0D0
C$OMP PARALLEL DO REDUCTION(+:DDOT)
      DO 20 I = 1, N
         DDOT = DDOT + X(I) *
     &          Y(I)
   20 CONTINUE
      RETURN
      END
