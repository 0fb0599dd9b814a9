"""The scikit-learn contract checks for this package's estimators that read text frames (the full
``parametrize_with_checks`` suite feeds numeric arrays, which these estimators do not take)."""

from __future__ import annotations

from sklearn.utils.estimator_checks import (
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
)

PARAMETER_CHECKS = [
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_get_params_invariance,
    check_set_params,
]
