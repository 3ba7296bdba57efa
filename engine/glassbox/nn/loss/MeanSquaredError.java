package glassbox.nn.loss;

import glassbox.tensor.Tensor;

/**
 * Mean squared error: {@code L = mean over all elements of (p − t)²} (Keras averages over the last axis,
 * then over the batch, which is the same number). Gradient {@code 2(p − t)/N}, {@code N = batch·k}.
 * Any prediction shape; targets have the same shape.
 */
public final class MeanSquaredError implements Loss {

    @Override
    public double compute(Tensor pred, Tensor target, Tensor grad) {
        if (!target.sameShape(pred) || pred.size() == 0) {
            throw new IllegalArgumentException(name() + " expects non-empty targets shaped like the predictions "
                    + Tensor.shapeString(pred.shape()) + ", got " + Tensor.shapeString(target.shape()));
        }
        if (grad != null && !grad.sameShape(pred)) {
            throw new IllegalArgumentException(name() + ": gradient buffer " + Tensor.shapeString(grad.shape())
                    + " does not match predictions " + Tensor.shapeString(pred.shape()));
        }
        float[] p = pred.data();
        float[] t = target.data();
        double invN = 1.0 / p.length;
        double total = 0;
        for (int i = 0; i < p.length; i++) {
            double d = p[i] - t[i];
            total += d * d;
            if (grad != null) {
                grad.data()[i] = (float) (2 * d * invN);
            }
        }
        return total * invN;
    }

    @Override
    public double correct(Tensor pred, Tensor target) {
        return Double.NaN;
    }

    @Override
    public String name() {
        return "mean_squared_error";
    }
}
