import CodeLexers

/// Source snippets written for these tests: small HPC kernels in each language.
enum Snippets {
    static let cStencil = #"""
    #include <mpi.h>
    #include "stencil.h"
    #define IDX(i, j) ((i) * n + (j)) /* row-major,
                                         two lines */
    static const char *banner = "5-point // stencil";

    /* Jacobi sweep with an OpenMP loop */
    double sweep(int n, const double *restrict in, double *restrict out) {
        double norm = 0.0;
        #pragma omp parallel for reduction(+:norm) \
            schedule(static) collapse(2)
        for (int i = 1; i < n - 1; i++)
            for (int j = 1; j < n - 1; j++) {
                out[IDX(i, j)] = 0.25 * (in[IDX(i - 1, j)] + in[IDX(i + 1, j)]
                               + in[IDX(i, j - 1)] + in[IDX(i, j + 1)]);
                norm += out[IDX(i, j)] * 1e-3f;
            }
        return norm;
    }

    int main(int argc, char **argv) {
        int rank, size;
        MPI_Init(&argc, &argv);
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        char sep = '\'';
        unsigned long mask = 0xFFul, big = 1'000'000;
        int k = 0;
        do { k++; } while (k < 10);
        while (k > 0) k -= 2;
        MPI_Finalize();
        return 0;
    }
    """#

    static let cppTemplates = #"""
    #include <vector>
    namespace prk {
    template <typename T>
    class Grid : public Base<T> {
      public:
        explicit Grid(int n) : n_(n), data_{T{}} { resize(n); }
        ~Grid() {}
        T& operator()(int i, int j) { return data_[i * n_ + j]; }
        auto size() const -> decltype(n_) { return n_; }
      private:
        int n_;
        std::vector<T> data_;
    };
    template <typename T>
    T Grid<T>::sum() const {
        T s{};
        for (const auto& x : data_) s += x;
        return s;
    }
    } // namespace prk
    extern "C" int c_api(int x) { return x << 1; }
    auto text = R"sep(raw "quoted" )not-end )sep"_t;
    std::vector<std::vector<int>> nested;
    """#

    static let cudaKernel = #"""
    #include <cuda_runtime.h>
    template <int TILE>
    __global__ void __launch_bounds__(256) transpose(const double *__restrict__ a, double *b, int n) {
        __shared__ double tile[TILE][TILE + 1];
        int x = blockIdx.x * TILE + threadIdx.x;
        for (int k = 0; k < TILE; k += 8)
            tile[threadIdx.y + k][threadIdx.x] = a[x + k * n];
        __syncthreads();
    }
    void launch(double *a, double *b, int n) {
        dim3 grid(n / 32, n / 32), block(32, 8);
        transpose<32><<<grid, block>>>(a, b, n);
        cudaDeviceSynchronize();
    }
    """#

    static let openCLKernel = #"""
    __kernel void nstream(const int length, const double scalar,
                          __global double *A, global const double *restrict B, local float4 *scratch)
    {
        const int i = get_global_id(0);
        private int k = 0;
        if (i < length) A[i] += B[i] + scalar;
    }
    """#

    static let fortranFree = #"""
    module stencil_mod
      use, intrinsic :: iso_fortran_env
      implicit none
      integer, parameter :: dp = kind(1.0d0)
    contains
      pure real(kind=dp) function total(a, n) result(r)
        integer, intent(in) :: n
        real(dp), intent(in) :: a(n)
        integer :: i
        r = 0.0_dp
        do i = 1, n
          r = r + a(i)**2
        end do
      end function total

      subroutine apply(n, a, b, data)
        integer, intent(in) :: n
        real(dp), intent(inout) :: a(n,n), b(n,n)
        real(dp) :: data(n), value
        integer :: i, j
        character(len=*), parameter :: msg = 'it''s "quoted" & more'
        !$omp parallel do private(i, j) &
        !$omp& reduction(+:value) schedule(static)
        outer: do j = 2, n-1
          do i = 2, n-1
            b(i,j) = 0.25_dp*(a(i-1,j) + a(i+1,j) + &
                     a(i,j-1) + a(i,j+1))
            if (b(i,j) .gt. 1.0d0 .and. .not. .true.) data(i) = 1.e-3
          enddo
        end do outer
        !$omp end parallel do
        do 10 i = 1, n
          value = value + data(i)
    10  continue
        do while (value > 0)
          value = value - 1
        end do
      contains
        subroutine helper()
          print *, 'x'
        end subroutine
      end subroutine apply
    end module stencil_mod

    program main
      use stencil_mod
      !$ use omp_lib
      real(dp) :: x(10)
      x = 1
      print *, total(x, 10)
    end program
    """#

    static let fortranFixed = """
    C     Fixed-form kernel with an OpenMP loop
          PROGRAM MAIN
          IMPLICIT NONE
          INTEGER I, N
          PARAMETER (N=100)
          DOUBLE PRECISION A(N), S
          CHARACTER*20 NAME
    * a star comment
    c$omp parallel do private(i)
    c$omp+ reduction(+:s)
          DO 10 I = 1, N
             S = S + A(I) *
         &       2.0D0
       10 CONTINUE
    !$OMP END PARALLEL DO
          NAME = 'HELLO'
          CALL SUB(A, N)
          END
          SUBROUTINE SUB(X, M)
          INTEGER M, I, J
          DOUBLE PRECISION X(M)
          DO 20 J = 1, M
          DO 20 I = 1, M
             X(I) = X(I) + 1
       20 CONTINUE
          RETURN
          END
          DOUBLE PRECISION FUNCTION F(X)
          F = X
          END
    """

    /// Every snippet with the lexers that apply to it.
    static let all: [(name: String, source: String, lexers: [Lexer])] = [
        ("c", cStencil, [Lexer(.c), Lexer(.cpp), Lexer(.c, digraphs: true)]),
        ("cpp", cppTemplates, [Lexer(.cpp), Lexer(.cuda), Lexer(.cpp, digraphs: true)]),
        ("cuda", cudaKernel, [Lexer(.cuda)]),
        ("opencl", openCLKernel, [Lexer(.opencl)]),
        ("fortran-free", fortranFree, [Lexer(.fortran, fortranForm: .free)]),
        ("fortran-fixed", fortranFixed, [Lexer(.fortran, fortranForm: .fixed)]),
    ]
}
