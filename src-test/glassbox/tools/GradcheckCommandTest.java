package glassbox.tools;

import glassbox.nn.GradientCheck;
import glassbox.nn.Layer;
import glassbox.nn.ScaleLayer;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./glassbox gradcheck}: every name passes, a wrong layer fails, usage mistakes exit 2 with a message. */
class GradcheckCommandTest {

    record Result(int code, String out, String err) {
    }

    static Result gradcheck(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GradcheckCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    static Set<String> names() {
        return GradcheckSubjects.SPECS.keySet();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void everyNamePassesWithItsDefaults(String name) {
        Result r = gradcheck(name);
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("\npass: "), r.out());
        assertTrue(r.out().contains(name.endsWith("entropy") || name.equals("mse") ? "predictions" : "input"), r.out());
    }

    @Test
    void eachParameterHasItsOwnRowByItsKerasName() {
        Result dense = gradcheck("dense", "--units", "4", "--activation", "tanh", "--input", "6");
        assertEquals(0, dense.code(), dense.out());
        assertTrue(dense.out().contains("kernel  (6, 4)"), dense.out());
        assertTrue(dense.out().contains("bias    (4,)"), dense.out());
        Result bn = gradcheck("batchnormalization", "--input", "3x3x2", "--batch", "3");
        assertEquals(0, bn.code(), bn.out());
        assertTrue(bn.out().contains("gamma") && bn.out().contains("beta") && !bn.out().contains("moving_mean"),
                "moving statistics are not trainable, so not checked: " + bn.out());
    }

    @Test
    void theIssuesConvolutionExamplePassesAndSamplesTheLargeInput() {
        Result r = gradcheck("conv2d", "--filters", "4", "--kernel-size", "3", "--strides", "2", "--padding", "same",
                "--input", "7x7x3");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("input   (2, 7, 7, 3)  150 of 294"), r.out());
        assertTrue(r.out().contains("kernel  (3, 3, 3, 4)  108"), r.out());
        assertTrue(r.out().contains("pass: all 3 tensors are within tolerance"), r.out());
    }

    @Test
    void lossesFromLogitsPass() {
        for (String loss : new String[]{"sparse_categorical_crossentropy", "categorical_crossentropy",
                "binary_crossentropy"}) {
            Result r = gradcheck(loss, "--from-logits", "--input", "7", "--batch", "3");
            assertEquals(0, r.code(), r.out());
            assertTrue(r.out().contains("(from_logits)") && r.out().contains("predictions  (3, 7)"), r.out());
        }
    }

    @Test
    void aLayerWithAWrongInputGradientFailsWithExitCode1() {
        Layer broken = new ScaleLayer(1.25, 1); // dL/dx a quarter too large; the weight's gradient right
        broken.build(new int[]{6}, new Rng(1));
        Tensor x = GradientCheck.uniform(2, -1, 1, 3, 6);
        StringWriter out = new StringWriter();
        int code = GradcheckCommand.run("scale", GradcheckSubjects.Subject.ofLayer("ScaleLayer", broken, x, null),
                GradientCheck.forFloatLayers(), 1, new PrintWriter(out, true));
        assertEquals(1, code, out.toString());
        String[] lines = out.toString().split("\n");
        assertTrue(rowOf(lines, "input").endsWith("FAIL"), out.toString());
        assertTrue(rowOf(lines, "weight").endsWith("pass"), out.toString());
        assertTrue(out.toString().contains("FAILED: 1 of 2 tensors beyond tolerance"), out.toString());
        assertTrue(out.toString().contains("d/d input disagrees with central differences"), out.toString());
    }

    private static String rowOf(String[] lines, String tensor) {
        for (String line : lines) {
            if (line.startsWith(tensor + " ")) {
                return line;
            }
        }
        throw new AssertionError("no row for " + tensor);
    }

    @Test
    void reluKinksAreTakenAgainAtATenthOfTheStepAndASmallerStepAvoidsThem() {
        // 16 ReLU filters over 36 positions: each kernel value and bias moves dozens of units, some across 0
        String[] args = {"conv2d", "--activation", "relu", "--filters", "16", "--input", "8x8x8"};
        Result coarse = gradcheck(args);
        String[] kernel = rowOf(coarse.out().split("\n"), "kernel").split("\\s{2,}");
        assertEquals("at h/10", rowOf(coarse.out().split("\n"), "tensor").split("\\s{2,}")[3]);
        assertTrue(Integer.parseInt(kernel[3]) > 10, "kernel probes decided at h/10: " + coarse.out());
        Result fine = gradcheck(concat(args, "--step", "1e-4", "--atol", "3e-3"));
        assertEquals(0, fine.code(), fine.out());
        assertTrue(rowOf(fine.out().split("\n"), "kernel").matches("kernel\\s+\\(3, 3, 8, 16\\)\\s+150 of 1152\\s+0\\s+0\\s.*"),
                "no kinks within h = 1e-4: " + fine.out());
        // a failure beside kinks comes with the hint (here forced by a tolerance no float layer meets)
        Result strict = gradcheck(concat(args, "--rtol", "1e-5", "--atol", "1e-6"));
        assertEquals(1, strict.code(), strict.out());
        assertTrue(strict.out().contains("hint: kinks"), strict.out());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void aCorrectLayerBeyondAZeroToleranceExits1() {
        Result r = gradcheck("dense", "--rtol", "0", "--atol", "0");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("FAILED"), r.out());
    }

    @Test
    void dropoutIsCheckedInTrainingModeWithItsMaskApplied() {
        GradcheckSubjects.Subject s = GradcheckSubjects.build(GradcheckSubjects.find("dropout"),
                options(new int[]{10}, 0.5));
        Tensor y = s.layer().forward(s.x(), true);
        int dropped = 0;
        for (int i = 0; i < y.size(); i++) {
            dropped += y.data()[i] == 0 ? 1 : 0;
            assertTrue(y.data()[i] == 0 || Math.abs(y.data()[i] - 2 * s.x().data()[i]) < 1e-6, "kept values scaled by 2");
        }
        assertTrue(dropped > 0 && dropped < y.size(), dropped + " of " + y.size() + " dropped");
        Result r = gradcheck("dropout");
        assertTrue(r.out().contains("mask is drawn once from the seed and held"), r.out());
    }

    private static GradcheckSubjects.Options options(int[] input, Double rate) {
        return new GradcheckSubjects.Options(null, null, null, null, null, null, null, null, rate, null, input, 2, 1,
                false);
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        Result r = gradcheck("conv3d");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown layer or loss 'conv3d'; known names: dense, conv2d"), r.err());
        assertTrue(r.err().contains("categorical_crossentropy"), r.err());
    }

    @Test
    void usageMistakesExit2NamingTheOptionAndWhatWasExpected() {
        expectUsageError("--filters does not apply to dense; it takes --units, --activation and --input",
                "dense", "--filters", "4");
        expectUsageError("--input for conv2d must be HxWxC, e.g. 7x7x3; got 7x7", "conv2d", "--input", "7x7");
        expectUsageError("--input for dense must be N (features), e.g. 5; got 4x4x1", "dense", "--input", "4x4x1");
        expectUsageError("--input must be sizes separated by 'x'", "flatten", "--input", "3xa");
        expectUsageError("--padding: unknown padding 'middle'", "conv2d", "--padding", "middle");
        expectUsageError("--activation: unknown activation 'swish'", "dense", "--activation", "swish");
        expectUsageError("--rate must be in [0, 1), got 1.5", "dropout", "--rate", "1.5");
        expectUsageError("--units must be a positive integer, got 0", "dense", "--units", "0");
        expectUsageError("Invalid value for option '--units'", "dense", "--units", "many");
        expectUsageError("step > 0", "dense", "--step", "0");
        expectUsageError("--target-shape must be sizes separated by 'x', one of them may be -1", "reshape",
                "--target-shape", "0x4");
        expectUsageError("cannot reshape samples of shape (12,)", "reshape", "--target-shape", "5x5");
        expectUsageError("--input for categorical_crossentropy is the number of classes N", "categorical_crossentropy",
                "--input", "3x3");
        expectUsageError("--from-logits does not apply to mse", "mse", "--from-logits");
        expectUsageError("Missing required parameter: 'NAME'");
    }

    private static void expectUsageError(String message, String... args) {
        Result r = gradcheck(args);
        assertEquals(2, r.code(), String.join(" ", args) + ": " + r.out() + r.err());
        assertTrue(r.err().contains(message), String.join(" ", args) + ": " + r.err());
        assertTrue(r.out().isEmpty(), r.out());
    }
}
