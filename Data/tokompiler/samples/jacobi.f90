! Jacobi iterations on a derived-type grid with OpenMP, free-form Fortran, for the golden tests.
module grids
  use iso_fortran_env, only: real64, output_unit
  implicit none
  private
  public :: grid, init_grid, jacobi_step

  integer, parameter :: dp = real64

  type :: grid
     integer :: n = 0
     real(dp), allocatable :: u(:, :), f(:, :)
   contains
     procedure :: residual
  end type grid

contains

  subroutine init_grid(g, n)
    type(grid), intent(inout) :: g
    integer, intent(in) :: n
    allocate(g%u(0:n+1, 0:n+1), g%f(n, n))
    g%n = n
    g%u = 0.0_dp
    g%f = 1.0_dp / real(n * n, dp)
  end subroutine init_grid

  function residual(self) result(r)
    class(grid), intent(in) :: self
    real(dp) :: r
    integer :: i, j
    r = 0.0_dp
    do j = 1, self%n
       do i = 1, self%n
          r = max(r, abs(4*self%u(i, j) - self%u(i-1, j) - self%u(i+1, j) &
                         - self%u(i, j-1) - self%u(i, j+1) - self%f(i, j)))
       end do
    end do
  end function residual

  subroutine jacobi_step(g, work)
    type(grid), intent(inout) :: g
    real(dp), intent(out) :: work(:, :)
    integer :: i, j
    !$omp parallel do private(i) shared(g, work) collapse(2)
    do j = 1, g%n
       do i = 1, g%n
          work(i, j) = 0.25_dp * (g%u(i-1, j) + g%u(i+1, j) + g%u(i, j-1) + g%u(i, j+1) + g%f(i, j))
       end do
    end do
    !$omp end parallel do
    g%u(1:g%n, 1:g%n) = work
  end subroutine jacobi_step

end module grids

program solve
  use grids
  use omp_lib
  implicit none
  type(grid) :: g
  real(kind=8), allocatable :: work(:, :)
  integer :: it, unit
  call init_grid(g, 64)
  allocate(work(64, 64))
  sweeps: do it = 1, 500
     call jacobi_step(g, work)
     if (g%residual() < 1.0d-8) exit sweeps
  end do sweeps
  open(newunit=unit, file='residual.txt', status='replace', action='write')
  write(unit, '(a, i0, a, es12.4)') 'iterations ', it, ' residual ', g%residual()
  close(unit)
  print *, 'threads:', omp_get_max_threads()
end program solve
