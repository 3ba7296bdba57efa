/**
 * The bottom layer every other package may use: seeded random numbers ({@link glassbox.util.Rng}), the
 * training progress line ({@link glassbox.util.Progress}), the first values of an array for a {@code toString}
 * ({@link glassbox.util.Preview}), and the writers of everything a run leaves on
 * disk — {@link glassbox.util.AtomicFiles} underneath {@link glassbox.util.Json}, {@link glassbox.util.Csv}
 * and {@link glassbox.util.Table}.
 *
 * <p>Rules kept by {@code ArchitectureTest}: this package depends on no glassbox package but
 * {@code glassbox.tensor}; all randomness in glassbox comes from a seeded {@code Rng}.
 *
 * <p>Choices made here: every file is written atomically (temporary file in the same directory, then an
 * atomic rename), so a killed run never leaves a truncated result that looks complete; JSON writes NaN and
 * infinities as {@code null} (valid JSON for every reader); CSV quotes per RFC 4180 with {@code \n} line
 * ends; the progress line follows Keras's Progbar format and redraws only on a terminal.
 */
package glassbox.util;
