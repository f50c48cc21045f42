// Vector addition with SYCL buffers and accessors.
#include <sycl/sycl.hpp>

#include <iostream>
#include <vector>

int main()
{
    constexpr size_t n = 1024;
    std::vector<float> a(n, 1.0f), b(n, 2.0f), c(n, 0.0f);
    sycl::queue queue{sycl::default_selector_v};
    std::cout << "running on " << queue.get_device().get_info<sycl::info::device::name>() << "\n";
    {
        sycl::buffer<float> bufA(a.data(), sycl::range<1>(n));
        sycl::buffer<float> bufB(b.data(), sycl::range<1>(n));
        sycl::buffer<float> bufC(c.data(), sycl::range<1>(n));
        queue.submit([&](sycl::handler &h) {
            sycl::accessor A(bufA, h, sycl::read_only);
            sycl::accessor B(bufB, h, sycl::read_only);
            sycl::accessor C(bufC, h, sycl::write_only, sycl::no_init);
            h.parallel_for(sycl::range<1>(n), [=](sycl::id<1> i) { C[i] = A[i] + B[i]; });
        });
    }
    for (size_t i = 0; i < n; i++) {
        if (c[i] != 3.0f) {
            std::cout << "mismatch at " << i << "\n";
            return 1;
        }
    }
    std::cout << "ok\n";
    return 0;
}
