// Parallel sort and reduction with oneTBB.
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/parallel_sort.h>
#include <tbb/blocked_range.h>

#include <cstdio>
#include <random>
#include <vector>

double sum_of_squares(const std::vector<double> &values)
{
    return tbb::parallel_reduce(
        tbb::blocked_range<size_t>(0, values.size()), 0.0,
        [&](const tbb::blocked_range<size_t> &r, double acc) {
            for (size_t i = r.begin(); i != r.end(); ++i) acc += values[i] * values[i];
            return acc;
        },
        [](double a, double b) { return a + b; });
}

int main()
{
    std::vector<double> values(1 << 22);
    std::mt19937_64 generator(7);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    for (auto &v : values) v = uniform(generator);
    tbb::parallel_for(tbb::blocked_range<size_t>(0, values.size()), [&](const tbb::blocked_range<size_t> &r) {
        for (size_t i = r.begin(); i != r.end(); ++i) values[i] = 2.0 * values[i] - 1.0;
    });
    tbb::parallel_sort(values.begin(), values.end());
    std::printf("min %.6f max %.6f sum of squares %.3f\n", values.front(), values.back(), sum_of_squares(values));
    return 0;
}
