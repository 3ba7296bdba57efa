package glassbox.nn.layers;

import glassbox.tensor.Padding;
import glassbox.tensor.Tensor;
import glassbox.tensor.Window2D;

/**
 * The argument checks the image layers share ({@link Conv2D}, {@link MaxPooling2D}, {@link UpSampling2D}), so
 * each error reads the same whichever layer raises it: the layer, the value received, what was expected.
 */
final class SlidingWindows {
    private SlidingWindows() {
    }

    /** Throws unless both values of a pair (a kernel, pool or stride size) are positive. */
    static void requirePositive(String who, String what, int a, int b) {
        if (a <= 0 || b <= 0) {
            throw new IllegalArgumentException(who + ": " + what + " must be positive, got (" + a + ", " + b + ")");
        }
    }

    /** Throws unless one sample is an image {@code (height, width, channels)}. */
    static void requireImages(String who, int[] inputShape, String hint) {
        if (inputShape.length != 3) {
            throw new IllegalArgumentException(who + " expects images (height, width, channels) but got samples of "
                    + "shape " + Tensor.shapeString(inputShape) + hint);
        }
    }

    /**
     * The geometry of a {@code kh×kw} window (called {@code what}: "kernel", "pool") over an image sample,
     * after checking that it is an image and that, with {@code "valid"} padding, the window fits in it.
     */
    static Window2D over(String who, String what, int[] inputShape, int kh, int kw, int sh, int sw, Padding padding,
                         String hint) {
        requireImages(who, inputShape, hint);
        if (padding == Padding.VALID && (inputShape[0] < kh || inputShape[1] < kw)) {
            throw new IllegalArgumentException(who + ": " + what + " " + kh + "×" + kw + " is larger than its input "
                    + Tensor.shapeString(inputShape) + " with padding \"valid\"; expected an input of at least "
                    + kh + "×" + kw + ", or padding \"same\"");
        }
        return Window2D.of(inputShape[0], inputShape[1], inputShape[2], kh, kw, sh, sw, padding);
    }
}
