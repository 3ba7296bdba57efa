/**
 * Preprocessing: feature-wise transformations learnt from data, with scikit-learn's names.
 *
 * <ul>
 *   <li>{@link glassbox.preprocessing.StandardScaler} — {@code StandardScaler()}: subtract each feature's
 *       mean, divide by its population standard deviation; constant features are left unscaled.</li>
 * </ul>
 *
 * <p>As every estimator in glassbox: {@code fit(x)} returns an immutable result that can
 * {@code transform} and {@code inverseTransform}; statistics are computed in double; inputs are never
 * modified; bad input (NaN, infinity, no samples, a feature count that differs from the fitted one) is an
 * {@code IllegalArgumentException} naming the argument, the value and what was expected.
 */
package glassbox.preprocessing;
