package glassbox.board;

import glassbox.metrics.ConfusionMatrix;
import glassbox.nn.Layer;
import glassbox.nn.Param;
import glassbox.nn.Sequential;
import glassbox.nn.layers.Conv2D;
import glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the board shows of one loaded model, computed by the engine: its summary, every layer's output for one
 * image, each Conv2D's filters, and the predicted class of every test image (for the confusion matrix).
 *
 * <p>Every layer runs its own {@link Layer#forward} in inference mode ({@code training = false}: Dropout
 * passes its input through, BatchNormalization uses its moving statistics), one layer at a time — the loop of
 * {@link Sequential#layerOutput}, keeping each layer's output on the way instead of only the last. A layer
 * may hand back the same buffer on every call, so each output is copied before the next call.
 *
 * <p>No layer is thread-safe and the page may ask for two images at once, so every pass through the layers
 * holds this viewer's lock. The results are plain maps and lists that the server writes as JSON as they are.
 */
final class ModelViewer {
    /** What a model does with an image, read from its shapes (never from its file or experiment name). */
    enum Kind {
        /** One value per class out (rank-1 output): prediction, probabilities, confusion matrix. */
        CLASSIFIER,
        /** An image in, the same shape out: input beside reconstruction, and the bottleneck's code. */
        AUTOENCODER,
        /** Anything else (e.g. an encoder alone): its layers' outputs only. */
        OTHER
    }

    /** The batch size for predicting the whole test set: large enough for the BLAS, small in memory. */
    static final int PREDICT_BATCH = 256;

    private final Sequential model;
    private final String name;
    private final int[] inputShape;
    private final Kind kind;
    /** For an autoencoder: the layer whose output is the code (the first of the smallest outputs), else −1. */
    private final int codeLayer;

    /** @param name the model file's name, for messages ({@code custom-model.gbx}) */
    ModelViewer(Sequential model, String name) {
        this.model = model;
        this.name = name;
        this.inputShape = model.inputShape();
        List<Layer> layers = model.layers();
        int[] out = layers.getLast().outputShape();
        if (out.length == 1) {
            kind = Kind.CLASSIFIER;
        } else if (Tensor.sizeOf(out) == Tensor.sizeOf(inputShape)) {
            kind = Kind.AUTOENCODER;
        } else {
            kind = Kind.OTHER;
        }
        int smallest = -1;
        if (kind == Kind.AUTOENCODER) {
            for (int l = 0; l < layers.size() - 1; l++) {
                if (smallest < 0 || Tensor.sizeOf(layers.get(l).outputShape())
                        < Tensor.sizeOf(layers.get(smallest).outputShape())) {
                    smallest = l;
                }
            }
        }
        this.codeLayer = smallest;
    }

    Kind kind() {
        return kind;
    }

    int[] inputShape() {
        return inputShape.clone();
    }

    int layerCount() {
        return model.layers().size();
    }

    int[] outputShape() {
        return model.layers().getLast().outputShape();
    }

    /** The indices of the Conv2D layers, whose filters {@link #filters} shows. */
    List<Integer> conv2dLayers() {
        List<Layer> layers = model.layers();
        return java.util.stream.IntStream.range(0, layers.size()).filter(l -> layers.get(l) instanceof Conv2D)
                .boxed().toList();
    }

    /** The number of input channels of layer {@code layer}'s kernel (its input's last axis). */
    int inputChannels(int layer) {
        int[] in = model.layers().get(layer).inputShape();
        return in[in.length - 1];
    }

    /** Whether the model eats one 28×28 grey image: input (28, 28, 1), (28, 28) or (784). */
    boolean takesImages() {
        return Tensor.sizeOf(inputShape) == 28 * 28;
    }

    /** The number of classes a classifier tells apart (its output's length); 0 for other kinds. */
    int numClasses() {
        return kind == Kind.CLASSIFIER ? model.layers().getLast().outputShape()[0] : 0;
    }

    /**
     * The model as {@code /api/model} shows it: Keras's summary text, the kind, the input shape, what the
     * output is, and per layer its index, name, type (the Java class: {@code Conv2D}), output shape,
     * parameter counts and config.
     */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", name);
        m.put("summary", model.summary());
        m.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
        m.put("input_shape", inputShape);
        m.put("output", output());
        m.put("code_layer", codeLayer >= 0 ? codeLayer : null);
        List<Map<String, Object>> layers = new ArrayList<>();
        List<Layer> all = model.layers();
        for (int l = 0; l < all.size(); l++) {
            Layer layer = all.get(l);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("index", l);
            e.put("name", layer.name());
            e.put("type", layer.getClass().getSimpleName());
            e.put("output_shape", layer.outputShape());
            e.put("params", layer.params().stream().mapToLong(p -> p.value().size()).sum());
            e.put("trainable_params", layer.params().stream().filter(Param::trainable)
                    .mapToLong(p -> p.value().size()).sum());
            e.put("config", layer.config());
            layers.add(e);
        }
        m.put("layers", layers);
        return m;
    }

    /**
     * What the last layer's values are: {@code softmax} probabilities, or, when the last activation is not
     * softmax, what they are instead — seed 000's {@code sigmoid} gives ten independent values in (0, 1)
     * that need not sum to 1; {@code linear} gives logits. The top class is their arg max either way.
     */
    private Map<String, Object> output() {
        Map<String, Object> m = new LinkedHashMap<>();
        Object activation = model.layers().getLast().config().get("activation");
        String act = activation == null ? "none" : activation.toString();
        m.put("activation", act);
        m.put("shape", model.layers().getLast().outputShape());
        String note = switch (kind) {
            case AUTOENCODER -> "a reconstruction of the input (" + act + ")";
            case OTHER -> "not a classifier: its output is " + Tensor.shapeString(model.layers().getLast().outputShape());
            case CLASSIFIER -> switch (act) {
                case "softmax" -> "softmax: class probabilities, summing to 1";
                case "sigmoid" -> "sigmoid, not softmax: one independent value in (0, 1) per class, not summing to 1;"
                        + " the top class is the largest";
                case "linear", "none" -> "linear, not softmax: logits (unnormalised scores); the top class is the"
                        + " largest";
                default -> act + ", not softmax: one score per class; the top class is the largest";
            };
        };
        m.put("note", note);
        return m;
    }

    /** Each layer's output for one image ({@code x}: {@code (1, …inputShape)}), copied, in inference mode. */
    synchronized List<Tensor> layerOutputs(Tensor x) {
        List<Tensor> outputs = new ArrayList<>();
        Tensor out = x;
        for (Layer layer : model.layers()) {
            out = layer.forward(out, false);
            outputs.add(out.copy());
        }
        return outputs;
    }

    /**
     * One image through every layer, as {@code /api/infer} returns it: per layer its output (feature maps of
     * a 3-D output, one greyscale map per channel; the values of a 1-D output), then the prediction (a
     * classifier) or the reconstruction and code (an autoencoder). {@code x} is the model's input, batch of
     * one; {@code raw} the image as the page shows it (784 pixels 0..255, before preprocessing); {@code label}
     * the true class, or −1 when the image was drawn; {@code classNames} the data's.
     */
    Map<String, Object> infer(Tensor x, float[] raw, int label, List<String> classNames) {
        List<Tensor> outputs = layerOutputs(x);
        List<Layer> layers = model.layers();
        List<Map<String, Object>> perLayer = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("index", l);
            e.put("name", layers.get(l).name());
            e.put("type", layers.get(l).getClass().getSimpleName());
            e.put("output_shape", layers.get(l).outputShape());
            e.putAll(Maps.ofSample(outputs.get(l)));
            perLayer.add(e);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", name);
        m.put("input", Maps.fixedScale(raw, 28, 28, 0, 255));
        m.put("label", label >= 0 ? label : null);
        m.put("label_name", label >= 0 && label < classNames.size() ? classNames.get(label) : null);
        Tensor last = outputs.getLast();
        if (kind == Kind.CLASSIFIER) {
            int top = argmax(last.data(), 0, last.size());
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("class", top);
            p.put("class_name", top < classNames.size() ? classNames.get(top) : String.valueOf(top));
            p.put("values", Maps.values(last.data(), 0, last.size()));
            p.put("classes", classNames.size() == last.size() ? classNames : null);
            p.putAll(output());
            m.put("prediction", p);
        }
        if (kind == Kind.AUTOENCODER) {
            Map<String, Object> a = new LinkedHashMap<>();
            // on the input's scale (x / 255: 0..1), so that a faint reconstruction looks faint
            a.put("reconstruction", Maps.fixedScale(last.data(), 28, 28, 0, 1));
            Tensor code = outputs.get(codeLayer);
            a.put("code_layer", codeLayer);
            a.put("code_name", layers.get(codeLayer).name());
            a.put("code_shape", layers.get(codeLayer).outputShape());
            a.put("code", Maps.sharedScaleMaps(code));
            m.put("autoencoder", a);
        }
        m.put("layers", perLayer);
        return m;
    }

    /**
     * Conv2D layer {@code layer}'s filters as {@code /api/model/filters} returns them: per output filter a
     * {@code kh × kw} image of kernel values, {@code K[:, :, c, f]} for the chosen input channel {@code c}, or,
     * with {@code channel} −1, the mean over input channels (for one input channel: the kernel itself). One
     * colour scale for all the layer's filters, symmetric around 0 ({@code scale} = the largest |value|
     * shown), so that a filter's sign and strength compare across filters; the bias of each filter beside it.
     *
     * @throws IllegalArgumentException when the layer is not a Conv2D or the channel is out of range (the
     *                                  routes check both first)
     */
    Map<String, Object> filters(int layer, int channel) {
        if (!(model.layers().get(layer) instanceof Conv2D conv)) {
            throw new IllegalArgumentException("layer " + layer + " is a "
                    + model.layers().get(layer).getClass().getSimpleName() + ", not a Conv2D");
        }
        Tensor kernel = conv.params().getFirst().value(); // (kh, kw, C, F)
        int kh = kernel.dim(0);
        int kw = kernel.dim(1);
        int c = kernel.dim(2);
        int f = kernel.dim(3);
        if (channel < -1 || channel >= c) {
            throw new IllegalArgumentException("channel " + channel + " is outside [0, " + c + ")");
        }
        float[] k = kernel.data();
        float[] bias = conv.params().size() > 1 ? conv.params().get(1).value().data() : null;
        List<Map<String, Object>> out = new ArrayList<>();
        double scale = 0;
        for (int filter = 0; filter < f; filter++) {
            float[] w = new float[kh * kw];
            for (int i = 0; i < kh * kw; i++) {
                if (channel >= 0) {
                    w[i] = k[(i * c + channel) * f + filter];
                } else {
                    double sum = 0;
                    for (int ch = 0; ch < c; ch++) {
                        sum += k[(i * c + ch) * f + filter];
                    }
                    w[i] = (float) (sum / c);
                }
                scale = Math.max(scale, Math.abs(w[i]));
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("filter", filter);
            e.put("values", Maps.values(w, 0, w.length));
            e.put("bias", bias == null ? null : Maps.round(bias[filter]));
            out.add(e);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layer", layer);
        m.put("name", conv.name());
        m.put("kernel_shape", kernel.shape());
        m.put("input_channels", c);
        m.put("channel", channel >= 0 ? channel : null);
        m.put("shown", c == 1 ? "the kernel (one input channel)" : channel >= 0 ? "input channel " + channel
                + " of " + c : "the mean over the " + c + " input channels");
        m.put("height", kh);
        m.put("width", kw);
        m.put("scale", Maps.round(scale));
        m.put("filters", out);
        return m;
    }

    /**
     * The top class of every image of {@code x} (the model's input, batch axis first), through
     * {@link Sequential#predict} in batches of {@value #PREDICT_BATCH}: the arg max of each output row.
     */
    int[] predictClasses(Tensor x) {
        Tensor out;
        synchronized (this) {
            out = model.predict(x, PREDICT_BATCH);
        }
        int classes = out.dim(1);
        int[] predicted = new int[out.dim(0)];
        for (int i = 0; i < predicted.length; i++) {
            predicted[i] = argmax(out.data(), i * classes, classes);
        }
        return predicted;
    }

    /**
     * The confusion matrix of {@code predicted} against {@code labels}, and the test indices of every cell in
     * ascending order: {@code cells[t][p]} lists the images of true class {@code t} predicted as {@code p}.
     */
    record Confusion(ConfusionMatrix matrix, int[][][] cells) {
        static Confusion of(int[] labels, int[] predicted, int numClasses) {
            ConfusionMatrix matrix = ConfusionMatrix.of(labels, predicted, numClasses);
            int[][][] cells = new int[numClasses][numClasses][];
            int[][] filled = new int[numClasses][numClasses];
            for (int t = 0; t < numClasses; t++) {
                for (int p = 0; p < numClasses; p++) {
                    cells[t][p] = new int[(int) matrix.count(t, p)];
                }
            }
            for (int i = 0; i < labels.length; i++) {
                cells[labels[i]][predicted[i]][filled[labels[i]][predicted[i]]++] = i;
            }
            return new Confusion(matrix, cells);
        }

        int[] cell(int trueClass, int predictedClass) {
            return cells[trueClass][predictedClass].clone();
        }
    }

    /** The index of the largest of {@code n} values from {@code from} (the first of equals, as numpy's argmax). */
    static int argmax(float[] values, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (values[from + i] > values[from + best]) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return name + ": " + kind + " " + Arrays.toString(inputShape);
    }
}
