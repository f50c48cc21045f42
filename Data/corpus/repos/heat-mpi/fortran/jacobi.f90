! SPDX-License-Identifier: BSD-3-Clause
! Jacobi iteration for the 1D Poisson problem -u'' = f, distributed over MPI
! ranks in blocks, with OpenMP threads sweeping each block.
module jacobi_mod
  use mpi
  implicit none
  integer, parameter :: dp = kind(1.0d0)
contains

  subroutine sweep(u, unew, f, n, h)
    integer, intent(in) :: n
    real(dp), intent(in) :: u(0:n+1), f(n), h
    real(dp), intent(out) :: unew(0:n+1)
    integer :: i
    !$omp parallel do private(i) schedule(static)
    do i = 1, n
      unew(i) = 0.5_dp * (u(i-1) + u(i+1) + h*h*f(i))
    end do
    !$omp end parallel do
  end subroutine sweep

  function residual_norm(u, f, n, h, comm) result(norm)
    integer, intent(in) :: n, comm
    real(dp), intent(in) :: u(0:n+1), f(n), h
    real(dp) :: norm, local, r
    integer :: i, ierr
    local = 0.0_dp
    !$OMP PARALLEL DO REDUCTION(+:local) PRIVATE(r)
    do i = 1, n
      r = (2.0_dp*u(i) - u(i-1) - u(i+1)) / (h*h) - f(i)
      local = local + r*r
    end do
    !$OMP END PARALLEL DO
    call MPI_Allreduce(local, norm, 1, MPI_DOUBLE_PRECISION, MPI_SUM, comm, ierr)
    norm = sqrt(norm)
  end function residual_norm

  subroutine exchange(u, n, rank, nprocs, comm)
    integer, intent(in) :: n, rank, nprocs, comm
    real(dp), intent(inout) :: u(0:n+1)
    integer :: ierr, left, right
    integer :: status(MPI_STATUS_SIZE)
    left = rank - 1
    right = rank + 1
    if (left < 0) left = MPI_PROC_NULL
    if (right >= nprocs) right = MPI_PROC_NULL
    call MPI_Sendrecv(u(1), 1, MPI_DOUBLE_PRECISION, left, 0, &
                      u(n+1), 1, MPI_DOUBLE_PRECISION, right, 0, comm, status, ierr)
    call MPI_Sendrecv(u(n), 1, MPI_DOUBLE_PRECISION, right, 1, &
                      u(0), 1, MPI_DOUBLE_PRECISION, left, 1, comm, status, ierr)
  end subroutine exchange

end module jacobi_mod

program jacobi
  use mpi
  use jacobi_mod
  implicit none
  integer, parameter :: n = 1000
  real(dp) :: u(0:n+1), unew(0:n+1), f(n), h, norm
  integer :: ierr, rank, nprocs, it
  call MPI_Init(ierr)
  call MPI_Comm_rank(MPI_COMM_WORLD, rank, ierr)
  call MPI_Comm_size(MPI_COMM_WORLD, nprocs, ierr)
  h = 1.0_dp / real(n*nprocs + 1, dp)
  u = 0.0_dp
  f = 1.0_dp
  do it = 1, 2000
    call exchange(u, n, rank, nprocs, MPI_COMM_WORLD)
    call sweep(u, unew, f, n, h)
    u(1:n) = unew(1:n)
  end do
  norm = residual_norm(u, f, n, h, MPI_COMM_WORLD)
  if (rank == 0) print '(a, es12.4)', 'residual ', norm
  call MPI_Finalize(ierr)
end program jacobi
