/**
 * Data: datasets in memory, the readers that load them, the registry that finds them, and the transforms
 * the seed notebooks apply before training.
 *
 * <ul>
 *   <li>{@link glassbox.data.Dataset} — samples {@code x} (a float {@link glassbox.tensor.Tensor}, axis 0 =
 *       sample) with integer labels {@code y}; {@link glassbox.data.TrainTest} — an official split.</li>
 *   <li>{@link glassbox.data.Datasets} — {@code mnist()}, {@code fashionMnist()}, {@code load(name)}: Keras's
 *       {@code keras.datasets.*.load_data()}. Files live in {@code <glassbox.home>/data/<name>/} and are
 *       fetched (and SHA-256 verified) by {@code data/fetch.sh} the first time.</li>
 *   <li>{@link glassbox.data.IdxReader} — the IDX format of the MNIST family, plain or gzip'd, read strictly.</li>
 *   <li>{@link glassbox.data.CsvDatasetReader} — {@code x_train.csv}, {@code y_train.csv}, {@code x_test.csv},
 *       {@code y_test.csv} with a header row, as pandas writes them (seed 002's "FashionMNIST with a Twist!"),
 *       streamed; every error names the file, line and column.</li>
 *   <li>{@link glassbox.data.ImageFolderReader} — one sub-folder of images per class (notMNIST), skipping
 *       the corrupt files such folders contain.</li>
 *   <li>{@link glassbox.data.Duplicates} — the same image twice: exact duplicates by SHA-256 digest (confirmed
 *       value by value) within a set or across two, near duplicates by exact nearest-neighbour distance.</li>
 *   <li>{@link glassbox.data.Transforms} — pure, element-wise or per-axis: {@code normalizeL2} (Keras's
 *       {@code utils.normalize}), {@code divide}, {@code scale}, {@code threshold}, {@code power}.</li>
 * </ul>
 *
 * <p>Conventions. Images are loaded as {@code (n, height, width)} with raw grey levels 0..255 as floats:
 * scaling is a visible step of the experiment, as in the notebooks, not a hidden default of the loader.
 * Add the channel axis ({@code reshape(n, h, w, 1)}, NHWC) where a Conv2D needs it. A fault of a file on
 * disk is a checked {@code IOException} ({@link glassbox.data.MalformedDataException} when the file is there
 * but wrong) whose message starts with the path; a fault of the caller's arguments is an
 * {@code IllegalArgumentException}. Nothing here downloads except through {@code data/fetch.sh}.
 */
package glassbox.data;
