! SAXPY with OpenACC kernels and a data region around repeated calls.
module saxpy_acc_mod
  implicit none
contains
  subroutine saxpy(n, a, x, y)
    integer, intent(in) :: n
    real, intent(in) :: a, x(n)
    real, intent(inout) :: y(n)
    integer :: i
    !$acc kernels loop present(x, y)
    do i = 1, n
      y(i) = a * x(i) + y(i)
    end do
  end subroutine saxpy

  real function total(n, y)
    integer, intent(in) :: n
    real, intent(in) :: y(n)
    integer :: i
    total = 0.0
    !$acc parallel loop reduction(+:total) present(y)
    do i = 1, n
      total = total + y(i)
    end do
  end function total
end module saxpy_acc_mod

program main
  use saxpy_acc_mod
  implicit none
  integer, parameter :: n = 2**20
  real :: x(n), y(n)
  integer :: rep
  x = 1.0
  y = 2.0
  !$acc data copyin(x) copy(y)
  do rep = 1, 10
    call saxpy(n, 2.0, x, y)
  end do
  print *, 'sum = ', total(n, y)
  !$acc end data
end program main
