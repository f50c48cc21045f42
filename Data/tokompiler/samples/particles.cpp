// Particles in a box with templates, classes, lambdas and the standard library, for the golden tests.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <numeric>
#include <vector>

namespace physics {

template <typename T, int Dim = 3>
struct Vec {
    T x[Dim];
    T norm() const {
        T s = T(0);
        for (int d = 0; d < Dim; ++d) s += x[d] * x[d];
        return std::sqrt(s);
    }
};

class Particle {
public:
    explicit Particle(double mass) : mass_(mass), position_{} {}
    virtual ~Particle() = default;
    double kinetic(const Vec<double> &velocity) const { return 0.5 * mass_ * velocity.norm() * velocity.norm(); }
    double mass() const { return mass_; }
    Particle &operator+=(const Particle &other) {
        mass_ += other.mass_;
        return *this;
    }

private:
    double mass_;
    Vec<double> position_;
};

using Cloud = std::vector<Particle>;

template <typename Container, typename F>
double total(const Container &items, F weight) {
    return std::accumulate(items.begin(), items.end(), 0.0,
                           [&](double acc, const typename Container::value_type &item) { return acc + weight(item); });
}

}  // namespace physics

int main() {
    physics::Cloud cloud;
    for (int i = 0; i < 16; ++i) cloud.emplace_back(1.0 + i % 4);
    auto heavy = std::count_if(cloud.begin(), cloud.end(), [](const physics::Particle &p) { return p.mass() > 2.5; });
    double mass = physics::total(cloud, [](const physics::Particle &p) { return p.mass(); });
    std::sort(cloud.begin(), cloud.end(),
              [](const physics::Particle &a, const physics::Particle &b) { return a.mass() < b.mass(); });
    physics::Particle merged(0.0);
    for (const auto &p : cloud) merged += p;
    std::cout << "heavy " << heavy << ", mass " << mass << ", merged " << merged.mass() << std::endl;
    return static_cast<int>(mass) % 2;
}
