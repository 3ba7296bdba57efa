package glassbox.nn;

import java.util.List;

/**
 * The text of Keras's {@code model.summary()} for a stack of built layers: one row per layer (name and class,
 * output shape with the batch axis as {@code None}, parameter count), then the totals. A parameter counts as
 * trainable when an optimiser may change it now ({@link Param#trainable()}): BatchNormalization's moving
 * statistics and every parameter of a frozen layer are "Non-trainable params", as Keras prints them.
 */
final class ModelSummary {
    private ModelSummary() {
    }

    static String of(List<Layer> layers) {
        // Keras widens the first column to fit the longest "name (Type)"; so does this
        int nameWidth = 28;
        for (Layer l : layers) {
            nameWidth = Math.max(nameWidth, describe(l).length());
        }
        String row = " %-" + nameWidth + "s %-22s %10s%n";
        int width = nameWidth + 37;
        StringBuilder sb = new StringBuilder();
        String rule = "_".repeat(width) + "\n";
        sb.append("Model: \"sequential\"\n").append(rule);
        sb.append(String.format(row, "Layer (type)", "Output Shape", "Param #"));
        sb.append("=".repeat(width)).append('\n');
        long total = 0;
        long trainable = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            long count = 0;
            for (Param p : l.params()) {
                count += p.value().size();
                trainable += p.trainable() ? p.value().size() : 0;
            }
            total += count;
            StringBuilder shape = new StringBuilder("(None");
            for (int d : l.outputShape()) {
                shape.append(", ").append(d);
            }
            shape.append(')');
            sb.append(String.format(row, describe(l), shape, count));
            sb.append(i == layers.size() - 1 ? "=".repeat(width) + "\n" : rule);
        }
        sb.append(String.format("Total params: %,d%nTrainable params: %,d%nNon-trainable params: %,d%n",
                total, trainable, total - trainable));
        return sb.toString();
    }

    private static String describe(Layer l) {
        return l.name() + " (" + l.getClass().getSimpleName() + ")";
    }
}
