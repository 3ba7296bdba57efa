package glassbox.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glassbox.bench.NumpyGapBenchmark.Shape;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code bench numpy-gap}: the products it times are the MLP's, every variant it times computes the
 * product it claims to (the worker checks each against a double-precision reference on first use, so a
 * wrong one fails here), the folded-bias Dense variants compute what the layer computes, the numpy side
 * answers the protocol (skipped when numpy is not installed), and a missing script is a clear error.
 */
class NumpyGapBenchmarkTest {
    @Test
    void mlpShapesAreTheProductsOfOneTrainingStep() {
        // Worked out from Dense's doc: forward x·W (batch×in)(in×out); dW = xᵀ·dZ (in×batch)(batch×out), A
        // stored transposed; dX = dZ·Wᵀ (batch×out)(out×in), B transposed; no dX for the first layer.
        List<String> expected = List.of("32 128 784 N N", "32 128 128 N N", "32 10 128 N N",
                "784 128 32 T N", "128 128 32 T N", "128 10 32 T N",
                "32 128 128 N T", "32 128 10 N T");
        List<String> actual = NumpyGapBenchmark.mlpShapes(32).stream().map(Shape::request).toList();
        assertEquals(expected, actual);
        assertEquals(2.0 * 32 * 128 * 784, NumpyGapBenchmark.mlpShapes(32).get(0).flops());
    }

    @Test
    void everyTimedGemmVariantComputesTheProduct() throws Exception {
        GemmWorker worker = new GemmWorker();
        for (String shape : List.of("256 40 50 N T", "96 33 256 T N", "64 24 16 N N")) {
            for (String variant : List.of("facade", "split2", "chunks8", "copy")) {
                String request = "gemm " + shape + " 1 " + variant;
                if (variant.equals("chunks8") && shape.contains("N T")) {
                    continue;
                }
                double seconds = worker.handle(request.split(" "));
                assertTrue(seconds >= 0 && Double.isFinite(seconds), request + " answered " + seconds);
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> worker.handle("gemm 8 8 8 N N 1 fastest".split(" ")));
        assertTrue(e.getMessage().contains("'fastest'"), e.getMessage());
    }

    @Test
    void foldedBiasDenseVariantsComputeWhatTheLayerComputes() throws Exception {
        int in = 37;
        int units = 11;
        int batch = 9;
        GemmWorker.DenseOperands d = new GemmWorker.DenseOperands(in, units, batch);
        GemmWorker.denseVariant(d, "fwd").run();
        float[] y = d.y.clone();
        GemmWorker.denseVariant(d, "fwdAug").run();
        // Independent reference: y = x·W + b in double.
        for (int r = 0; r < batch; r++) {
            for (int j = 0; j < units; j++) {
                double sum = d.bias[j];
                for (int p = 0; p < in; p++) {
                    sum += (double) d.x[r * in + p] * d.w[p * units + j];
                }
                assertEquals(sum, y[r * units + j], 1e-5, "fwd y[" + r + "," + j + "]");
                assertEquals(sum, d.y[r * units + j], 1e-5, "fwdAug y[" + r + "," + j + "]");
            }
        }
        GemmWorker.denseVariant(d, "bwd").run();
        GemmWorker.denseVariant(d, "bwdAug").run();
        for (int j = 0; j < units; j++) {
            double db = 0;
            for (int r = 0; r < batch; r++) {
                db += d.dz[r * units + j];
            }
            assertEquals(db, d.db[j], 1e-5, "bwd db[" + j + "]");
            assertEquals(db, d.dwAug[in * units + j], 1e-5, "bwdAug's last row is db, at " + j);
            for (int p = 0; p < in; p++) {
                double dw = 0;
                for (int r = 0; r < batch; r++) {
                    dw += (double) d.x[r * in + p] * d.dz[r * units + j];
                }
                assertEquals(dw, d.dw[p * units + j], 1e-5, "bwd dW[" + p + "," + j + "]");
                assertEquals(dw, d.dwAug[p * units + j], 1e-5, "bwdAug dW[" + p + "," + j + "]");
            }
        }
    }

    @Test
    void numpySideAnswersTheProtocolAndNamesItsLibrary() throws Exception {
        Path script = Path.of("benchmarks", "python", "numpy_gemm.py");
        PeerAssumptions.assumeInstalled(PythonPeers.Library.NUMPY);
        try (NumpyGapBenchmark.Child numpy = new NumpyGapBenchmark.Child("numpy",
                List.of(PythonPeers.PYTHON, script.toString()), new HashMap<>(System.getenv()))) {
            assertTrue(numpy.description.containsKey("libraries"), numpy.description.toString());
            double seconds = numpy.ask("gemm 64 32 16 T N 3");
            assertTrue(seconds > 0 && seconds < 1, "numpy answered " + seconds);
            double step = numpy.ask("mlp 8 3");
            assertTrue(step > 0 && step < 1, "numpy's MLP step took " + step + " s");
            java.io.IOException e = assertThrows(java.io.IOException.class, () -> numpy.ask("gemm 1 2"));
            assertTrue(e.getMessage().contains("gemm 1 2"), e.getMessage());
        }
    }

    @Test
    void missingScriptIsReportedWithItsPath() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = new CommandLine(new NumpyGapBenchmark()).execute("--script", "/nonexistent/numpy_gemm.py");
        } finally {
            System.setErr(old);
        }
        assertEquals(2, code);
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("/nonexistent/numpy_gemm.py") && message.contains("missing"), message);
    }
}
