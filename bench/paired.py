"""Two measurements side by side on a shared, noisy machine: run as pairs, alternating
which goes first, and report the median of the per-pair ratios (with each side's median),
never a single timing."""
import statistics
from collections.abc import Callable


def alternate(first: tuple[str, Callable[[], float]], second: tuple[str, Callable[[], float]],
              pairs: int, digits: int = 4) -> dict:
    """`{pairs, <first>_median, <second>_median, ratio_median, ratio_min, ratio_max}`, the
    ratio being first / second."""
    (a_name, a), (b_name, b) = first, second
    a_values, b_values, ratios = [], [], []
    for n in range(pairs):
        if n % 2:
            a_value, b_value = a(), b()
        else:
            b_value = b()
            a_value = a()
        a_values.append(a_value)
        b_values.append(b_value)
        ratios.append(a_value / b_value)
    return {"pairs": pairs,
            f"{a_name}_median": round(statistics.median(a_values), digits),
            f"{b_name}_median": round(statistics.median(b_values), digits),
            "ratio_median": round(statistics.median(ratios), 3),
            "ratio_min": round(min(ratios), 3), "ratio_max": round(max(ratios), 3)}
