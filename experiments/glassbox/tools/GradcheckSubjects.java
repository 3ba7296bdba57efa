package glassbox.tools;

import glassbox.nn.GradientCheck;
import glassbox.nn.Layer;
import glassbox.nn.loss.BinaryCrossentropy;
import glassbox.nn.loss.CategoricalCrossentropy;
import glassbox.nn.loss.Loss;
import glassbox.nn.loss.MeanSquaredError;
import glassbox.nn.loss.SparseCategoricalCrossentropy;
import glassbox.nn.layers.Activation;
import glassbox.nn.layers.ActivationLayer;
import glassbox.nn.layers.BatchNormalization;
import glassbox.nn.layers.Conv2D;
import glassbox.nn.layers.Dense;
import glassbox.nn.layers.Dropout;
import glassbox.nn.layers.Flatten;
import glassbox.nn.layers.MaxPooling2D;
import glassbox.nn.layers.Reshape;
import glassbox.nn.layers.UpSampling2D;
import glassbox.tensor.Padding;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code ./glassbox gradcheck <name>} checks: each Keras name the engine has (layers, activations,
 * losses), the options it takes, its default input, and how it is built and fed.
 *
 * <p>Inputs are seeded uniform values in [−1, 1), except for max-pooling, which gets distinct, evenly spaced
 * values ({@link GradientCheck#distinct}) and a step below half their spacing, so that no probe moves one
 * input past another (max-pooling's derivative jumps where two inputs tie). Losses get what their
 * {@code compute} expects: probabilities in [0.05, 0.95) (logits in [−3, 3) with {@code --from-logits}),
 * class indices, one-hot rows or values in [0, 1) as targets.
 */
final class GradcheckSubjects {
    private GradcheckSubjects() {
    }

    /** The options every name takes. */
    static final Set<String> COMMON = Set.of("--input", "--batch", "--seed", "--step", "--rtol", "--atol");

    /** One name: its own options (beyond {@link #COMMON}), its default input and a one-line description. */
    record Spec(String name, boolean loss, List<String> options, String defaultInput, String description) {
    }

    private static final String[] ACTIVATIONS = {"relu", "sigmoid", "tanh", "softmax", "linear"};

    /** Every name, in the order the help and the "unknown name" error list them. */
    static final Map<String, Spec> SPECS = new LinkedHashMap<>();

    static {
        add("dense", false, "5", "Dense: kernel (in, units), bias (units)", "--units", "--activation");
        add("conv2d", false, "6x6x2", "Conv2D: kernel (kh, kw, C, filters), bias (filters)",
                "--filters", "--kernel-size", "--strides", "--padding", "--activation");
        add("maxpooling2d", false, "6x6x2", "MaxPooling2D", "--pool-size", "--strides", "--padding");
        add("upsampling2d", false, "3x3x2", "UpSampling2D", "--size");
        add("batchnormalization", false, "4x4x3", "BatchNormalization, training mode: gamma, beta");
        add("dropout", false, "10", "Dropout, training mode with its seeded mask held for every probe", "--rate");
        add("flatten", false, "3x3x2", "Flatten");
        add("reshape", false, "12", "Reshape", "--target-shape");
        add("activation", false, "6", "Activation layer (--activation relu by default)", "--activation");
        for (String a : ACTIVATIONS) {
            add(a, false, "6", "Activation layer '" + a + "' (the same as activation --activation " + a + ")");
        }
        add("sparse_categorical_crossentropy", true, "5", "loss; targets: class indices", "--from-logits");
        add("categorical_crossentropy", true, "5", "loss; targets: one-hot rows", "--from-logits");
        add("binary_crossentropy", true, "5", "loss; targets: values in [0, 1)", "--from-logits");
        add("mse", true, "5", "mean squared error; targets: values in [-1, 1)");
    }

    private static void add(String name, boolean loss, String defaultInput, String description, String... options) {
        SPECS.put(name, new Spec(name, loss, List.of(options), defaultInput, description));
    }

    /** {@code mean_squared_error} is Keras's other name for {@code mse}. */
    static Spec find(String name) {
        String key = name.toLowerCase(java.util.Locale.ROOT);
        return SPECS.get(key.equals("mean_squared_error") ? "mse" : key);
    }

    /** The option values as given ({@code null}: not given, take the default). */
    record Options(Integer units, Integer filters, Integer kernelSize, Integer strides, String padding,
                   String activation, Integer poolSize, Integer size, Double rate, String targetShape,
                   int[] input, int batch, long seed, boolean fromLogits) {
    }

    /**
     * What is checked: a built layer and its input batch, or a loss with predictions and targets; its
     * description for the table's header; the shape of each tensor the report names; a note, if any.
     */
    record Subject(String title, Layer layer, Tensor x, Loss loss, Tensor target, Map<String, int[]> shapes,
                   String note) {

        static Subject ofLayer(String title, Layer layer, Tensor x, String note) {
            Map<String, int[]> shapes = new LinkedHashMap<>();
            shapes.put("input", x.shape());
            layer.params().forEach(p -> shapes.put(p.name(), p.value().shape()));
            return new Subject(title, layer, x, null, null, shapes, note);
        }

        static Subject ofLoss(String title, Loss loss, Tensor pred, Tensor target) {
            return new Subject(title, null, pred, loss, target, Map.of("predictions", pred.shape()), null);
        }

        GradientCheck.Report check(GradientCheck check, long seed) {
            return layer != null ? check.checkLayer(layer, x, seed) : check.checkLoss(loss, x, target, seed);
        }
    }

    /**
     * The default check for a name: layers h = 1e-2, rtol = 1e-2, atol = 1e-3; max-pooling a step below half
     * the spacing of its distinct inputs; losses, whose values are smooth and small, h = 1e-3, atol = 1e-4.
     */
    static GradientCheck defaultCheck(Spec spec, int inputSize) {
        if (spec.loss()) {
            return new GradientCheck(1e-3, 1e-2, 1e-4);
        }
        if (spec.name().equals("maxpooling2d")) {
            double spacing = 2.0 / inputSize;
            return new GradientCheck(Math.min(1e-3, spacing / 4), 1e-2, 1e-3);
        }
        return GradientCheck.forFloatLayers();
    }

    /**
     * Builds the subject for {@code spec} with options {@code o}; a value the layer or loss rejects is an
     * {@link IllegalArgumentException} naming the option.
     */
    static Subject build(Spec spec, Options o) {
        int[] sample = o.input();
        int[] batchShape = new int[sample.length + 1];
        batchShape[0] = o.batch();
        System.arraycopy(sample, 0, batchShape, 1, sample.length);
        if (spec.loss()) {
            return lossSubject(spec, o, batchShape);
        }
        Layer layer = layer(spec, o, sample);
        layer.build(sample, new Rng(o.seed()));
        String note = null;
        Tensor x;
        if (layer instanceof MaxPooling2D) {
            x = GradientCheck.distinct(o.seed() + 1, -1, 1, batchShape);
            note = "input: distinct values 2/" + x.size() + " apart, so that no probe crosses a tie";
        } else {
            x = GradientCheck.uniform(o.seed() + 1, -1, 1, batchShape);
        }
        if (layer instanceof Dropout d) {
            d.holdMask(true);
            note = "training mode: the mask is drawn once from the seed and held for every probe";
        }
        if (layer instanceof BatchNormalization) {
            note = "training mode: normalised with the batch's own statistics";
        }
        Map<String, Object> config = layer.config();
        config.remove("name");
        return Subject.ofLayer(layer.getClass().getSimpleName() + " " + config, layer, x, note);
    }

    private static Layer layer(Spec spec, Options o, int[] sample) {
        String name = spec.name();
        switch (name) {
            case "dense" -> {
                requireRank(name, sample, 1, "N (features), e.g. 5");
                return new Dense(positive("--units", o.units(), 3), activation(o.activation(), null));
            }
            case "conv2d" -> {
                requireRank(name, sample, 3, "HxWxC, e.g. 7x7x3");
                int k = positive("--kernel-size", o.kernelSize(), 3);
                int s = positive("--strides", o.strides(), 1);
                return new Conv2D(positive("--filters", o.filters(), 3), k, k, s, s, padding(o.padding()),
                        activation(o.activation(), null), true, null);
            }
            case "maxpooling2d" -> {
                requireRank(name, sample, 3, "HxWxC, e.g. 6x6x2");
                int p = positive("--pool-size", o.poolSize(), 2);
                int s = positive("--strides", o.strides(), p);
                return new MaxPooling2D(p, p, s, s, padding(o.padding()), null);
            }
            case "upsampling2d" -> {
                requireRank(name, sample, 3, "HxWxC, e.g. 3x3x2");
                int s = positive("--size", o.size(), 2);
                return new UpSampling2D(s, s, null);
            }
            case "batchnormalization" -> {
                return new BatchNormalization();
            }
            case "dropout" -> {
                double rate = o.rate() == null ? 0.5 : o.rate();
                if (!(rate >= 0 && rate < 1)) {
                    throw new IllegalArgumentException("--rate must be in [0, 1), got " + rate);
                }
                return new Dropout(rate);
            }
            case "flatten" -> {
                return new Flatten();
            }
            case "reshape" -> {
                String target = o.targetShape() == null ? defaultTarget(sample) : o.targetShape();
                return new Reshape(dims("--target-shape", target, true));
            }
            case "activation" -> {
                return new ActivationLayer(activation(o.activation(), "relu"));
            }
            default -> {
                return new ActivationLayer(Activation.of(name));
            }
        }
    }

    /** Reshape's default target: the sample's values as (2, rest) when even, else (rest, 1). */
    private static String defaultTarget(int[] sample) {
        long size = Tensor.sizeOf(sample);
        return size % 2 == 0 ? "2x" + size / 2 : size + "x1";
    }

    private static Subject lossSubject(Spec spec, Options o, int[] shape) {
        Rng rng = new Rng(o.seed() + 2);
        boolean logits = o.fromLogits();
        Tensor pred = logits ? GradientCheck.uniform(o.seed() + 1, -3, 3, shape)
                : GradientCheck.uniform(o.seed() + 1, 0.05, 0.95, shape);
        String title = spec.name() + (logits ? " (from_logits)" : "");
        switch (spec.name()) {
            case "sparse_categorical_crossentropy", "categorical_crossentropy" -> {
                if (shape.length != 2) {
                    throw new IllegalArgumentException("--input for " + spec.name()
                            + " is the number of classes N, e.g. 5; got " + shapeText(shape, 1));
                }
                int classes = shape[1];
                boolean sparse = spec.name().startsWith("sparse");
                Tensor target = sparse ? Tensor.zeros(shape[0]) : Tensor.zeros(shape);
                for (int n = 0; n < shape[0]; n++) {
                    int label = rng.nextInt(classes);
                    if (sparse) {
                        target.data()[n] = label;
                    } else {
                        target.data()[n * classes + label] = 1;
                    }
                }
                Loss loss = sparse ? new SparseCategoricalCrossentropy(logits) : new CategoricalCrossentropy(logits);
                return Subject.ofLoss(title, loss, pred, target);
            }
            case "binary_crossentropy" -> {
                return Subject.ofLoss(title, new BinaryCrossentropy(logits), pred,
                        GradientCheck.uniform(o.seed() + 2, 0, 1, shape));
            }
            default -> {
                return Subject.ofLoss(title, new MeanSquaredError(), GradientCheck.uniform(o.seed() + 1, -1, 1, shape),
                        GradientCheck.uniform(o.seed() + 2, -1, 1, shape));
            }
        }
    }

    private static void requireRank(String name, int[] sample, int rank, String expected) {
        if (sample.length != rank) {
            throw new IllegalArgumentException("--input for " + name + " must be " + expected + "; got "
                    + shapeText(sample, 0));
        }
    }

    private static String shapeText(int[] shape, int from) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < shape.length; i++) {
            sb.append(i == from ? "" : "x").append(shape[i]);
        }
        return sb.toString();
    }

    private static int positive(String option, Integer value, int fallback) {
        int v = value == null ? fallback : value;
        if (v <= 0) {
            throw new IllegalArgumentException(option + " must be a positive integer, got " + v);
        }
        return v;
    }

    private static Activation activation(String name, String fallback) {
        try {
            return Activation.of(name == null ? fallback : name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--activation: " + e.getMessage(), e);
        }
    }

    private static Padding padding(String name) {
        if (name == null) {
            return Padding.VALID;
        }
        try {
            return Padding.of(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--padding: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a shape written {@code 7x7x3} (or {@code 7,7,3}); {@code -1} is allowed only where
     * {@code inferred} (Reshape's target).
     */
    static int[] dims(String option, String text, boolean inferred) {
        String expected = inferred ? "sizes separated by 'x', one of them may be -1, e.g. 3x4 or -1x4"
                : "sizes separated by 'x', e.g. 7x7x3, or one number N for N features";
        String[] parts = text.trim().split("[x,]", -1);
        List<Integer> out = new ArrayList<>();
        for (String part : parts) {
            int d;
            try {
                d = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be " + expected + "; got '" + text + "'");
            }
            if (d <= 0 && !(inferred && d == -1)) {
                throw new IllegalArgumentException(option + " must be " + expected + "; got '" + text + "'");
            }
            out.add(d);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
