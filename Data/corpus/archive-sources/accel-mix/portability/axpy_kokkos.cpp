// AXPY and a dot product with Kokkos views and parallel patterns.
#include <Kokkos_Core.hpp>
#include <cstdio>

int main(int argc, char *argv[])
{
    Kokkos::initialize(argc, argv);
    {
        const int n = 1 << 20;
        Kokkos::View<double *> x("x", n);
        Kokkos::View<double *> y("y", n);
        Kokkos::parallel_for("init", n, KOKKOS_LAMBDA(const int i) {
            x(i) = 1.0;
            y(i) = 2.0;
        });
        const double a = 3.0;
        Kokkos::parallel_for("axpy", n, KOKKOS_LAMBDA(const int i) { y(i) = a * x(i) + y(i); });
        double dot = 0.0;
        Kokkos::parallel_reduce(
            "dot", n, KOKKOS_LAMBDA(const int i, double &sum) { sum += x(i) * y(i); }, dot);
        Kokkos::fence();
        std::printf("dot = %.1f (expected %.1f)\n", dot, 5.0 * n);
    }
    Kokkos::finalize();
    return 0;
}
