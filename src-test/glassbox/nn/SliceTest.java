package glassbox.nn;

import glassbox.nn.io.ModelFiles;
import glassbox.nn.layers.Conv2D;
import glassbox.nn.layers.Dense;
import glassbox.nn.layers.Flatten;
import glassbox.nn.layers.MaxPooling2D;
import glassbox.nn.layers.UpSampling2D;
import glassbox.nn.loss.BinaryCrossentropy;
import glassbox.nn.loss.MeanSquaredError;
import glassbox.nn.loss.SparseCategoricalCrossentropy;
import glassbox.nn.optim.Adadelta;
import glassbox.nn.optim.Adam;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Models built from a slice of another's layers share (never copy) their weights, both ways. */
class SliceTest {
    @TempDir
    Path dir;

    /** A small convolutional autoencoder of 6×6×1 images; its code is the output of "code" (3×3×2). */
    private static Sequential autoencoder(long seed) {
        Sequential ae = new Sequential(seed, new Conv2D(3, 3, "same", "relu"), new MaxPooling2D(2, "same"),
                new Conv2D(2, 3, 3, 1, 1, glassbox.tensor.Padding.of("same"), glassbox.nn.layers.Activation.RELU,
                        true, "code"),
                new UpSampling2D(), new Conv2D(1, 3, "same", "sigmoid"));
        ae.compile(new BinaryCrossentropy(), new Adadelta(1f, 0.95f, 1e-7f));
        ae.build(6, 6, 1);
        return ae;
    }

    private static Tensor images(int n) {
        Tensor x = GradientCheck.uniform(11, 0, 1, n, 6, 6, 1);
        return x;
    }

    private static FitOptions quiet(int epochs) {
        return FitOptions.defaults().withEpochs(epochs).withBatchSize(8).withVerbose(false);
    }

    @Test
    void aSliceHoldsTheSameLayerObjectsAndComputesTheSourcesLayerOutput() {
        Sequential ae = autoencoder(1);
        Sequential encoder = ae.upTo("code");
        assertEquals(3, encoder.layers().size());
        for (int i = 0; i < 3; i++) {
            assertSame(ae.layers().get(i), encoder.layers().get(i));
        }
        assertArrayEquals(new int[]{6, 6, 1}, encoder.inputShape());
        for (int i = 0; i < encoder.params().size(); i++) {
            assertSame(ae.params().get(i), encoder.params().get(i));
        }
        Tensor x = images(5);
        assertArrayEquals(ae.layerOutput("code", x, 4).data(), encoder.predict(x, 4).data());

        Sequential decoder = ae.slice(3, 5);
        assertArrayEquals(new int[]{3, 3, 2}, decoder.inputShape());
        assertArrayEquals(ae.predict(x).data(), decoder.predict(encoder.predict(x)).data());
    }

    @Test
    void trainingTheSourceChangesWhatTheSlicePredicts() {
        Sequential ae = autoencoder(2);
        Sequential encoder = ae.upTo("code");
        Tensor x = images(16);
        Tensor before = encoder.predict(x);
        ae.fit(x, x, quiet(2));
        Tensor after = encoder.predict(x);
        assertFalse(Arrays.equals(before.data(), after.data()), "the slice must see the source's training");
        assertArrayEquals(ae.layerOutput("code", x, 32).data(), after.data());
    }

    @Test
    void weightsSetOrTrainedThroughTheSliceAreTheSources() {
        Sequential ae = autoencoder(3);
        Sequential encoder = ae.upTo("code");
        List<Tensor> changed = new ArrayList<>();
        for (Tensor w : encoder.getWeights()) {
            Tensor t = w.copy();
            for (int i = 0; i < t.size(); i++) {
                t.data()[i] = 0.01f * (i % 7) - 0.02f;
            }
            changed.add(t);
        }
        encoder.setWeights(changed);
        List<Tensor> source = ae.getWeights();
        for (int i = 0; i < changed.size(); i++) {
            assertArrayEquals(changed.get(i).data(), source.get(i).data(), "weight " + i);
        }

        // train the slice alone (its code towards zero): the source's first layers move with it
        Tensor x = images(16);
        float[] kernelBefore = ae.layers().get(0).params().get(0).value().data().clone();
        float[] decoderBefore = ae.layers().get(4).params().get(0).value().data().clone();
        encoder.compile(new MeanSquaredError(), new Adam(0.05f));
        encoder.fit(x, Tensor.zeros(16, 3, 3, 2), quiet(1));
        assertFalse(Arrays.equals(kernelBefore, ae.layers().get(0).params().get(0).value().data()));
        assertArrayEquals(decoderBefore, ae.layers().get(4).params().get(0).value().data(),
                "layers outside the slice are untouched");
    }

    @Test
    void aFrozenEncoderUnderANewHeadKeepsItsWeightsWhileTheHeadTrains() {
        Sequential ae = autoencoder(4);
        Tensor x = images(30);
        ae.fit(x, x, quiet(1));
        Sequential encoder = ae.upTo("code");
        encoder.setTrainable(false);
        assertFalse(ae.layers().get(0).isTrainable(), "freezing the slice freezes the source's layers");
        List<Tensor> frozen = encoder.getWeights();

        List<Layer> stack = new ArrayList<>(encoder.layers());
        stack.add(new Flatten());
        stack.add(new Dense(3, "softmax"));
        Sequential classifier = new Sequential(5, stack.toArray(Layer[]::new))
                .compile(new SparseCategoricalCrossentropy(), new Adam(0.05f));
        Tensor y = Tensor.zeros(30);
        for (int i = 0; i < 30; i++) {
            y.data()[i] = i % 3;
        }
        classifier.build(6, 6, 1);
        assertSame(ae.layers().get(2), classifier.layers().get(2));
        Layer head = classifier.layers().get(4);
        float[] headBefore = head.params().get(0).value().data().clone();
        classifier.fit(x, y, quiet(2));
        List<Tensor> after = encoder.getWeights();
        for (int i = 0; i < frozen.size(); i++) {
            assertArrayEquals(frozen.get(i).data(), after.get(i).data(), "encoder weight " + i);
        }
        assertFalse(Arrays.equals(headBefore, head.params().get(0).value().data()), "the head trains");
        assertTrue(classifier.summary().contains("Trainable params: 57\n"), classifier.summary()); // 18·3 + 3
    }

    @Test
    void predictingThroughTheSliceBetweenTheSourcesStepsChangesNothingInItsTraining() {
        Tensor x = images(24);
        Sequential quiet = autoencoder(6);
        quiet.fit(x, x, quiet(2));

        Sequential busy = autoencoder(6);
        Sequential encoder = busy.upTo("code");
        Sequential decoder = busy.slice(3, 5);
        Tensor probe = images(5); // another batch size, so every shared buffer is reallocated in between
        Callback meddler = new Callback() {
            @Override
            public void onBatchEnd(int epoch, int step, double meanLoss, double meanAccuracy) {
                decoder.predict(encoder.predict(probe, 3), 2);
            }
        };
        busy.fit(x, x, quiet(2).withCallbacks(List.of(meddler)));
        List<Tensor> a = quiet.getWeights();
        List<Tensor> b = busy.getWeights();
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).data(), b.get(i).data(), "weight " + i);
        }
    }

    @Test
    void aSavedSliceLoadsAsAnIndependentModelThatPredictsTheSame() throws IOException {
        Sequential ae = autoencoder(7);
        Sequential encoder = ae.upTo("code");
        Path file = dir.resolve("encoder.gbx");
        ModelFiles.save(encoder, file);
        Sequential loaded = ModelFiles.load(file);
        Tensor x = images(4);
        assertArrayEquals(encoder.predict(x).data(), loaded.predict(x).data());
        assertEquals(3, loaded.layers().size());
        loaded.layers().get(0).setWeights(List.of(Tensor.zeros(3, 3, 1, 3), Tensor.zeros(3)));
        assertFalse(Arrays.equals(encoder.predict(x).data(), loaded.predict(x).data()), "a loaded copy shares nothing");
    }

    @Test
    void badSlicesAreRejectedNamingTheBounds() {
        Sequential ae = autoencoder(8);
        for (int[] bad : new int[][]{{2, 2}, {-1, 3}, {0, 6}, {4, 1}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ae.slice(bad[0], bad[1]));
            assertTrue(e.getMessage().contains("from=" + bad[0]) && e.getMessage().contains("to=" + bad[1])
                    && e.getMessage().contains("<= 5"), e.getMessage());
        }
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class, () -> ae.upTo("encoded"));
        assertTrue(name.getMessage().contains("'encoded'") && name.getMessage().contains("code"), name.getMessage());
        assertThrows(IllegalStateException.class, () -> new Sequential(1, new Dense(2)).slice(0, 1));

        Sequential wrong = new Sequential(1, ae.layers().get(4));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> wrong.build(4, 4, 2));
        assertTrue(shape.getMessage().contains("(6, 6, 2)") && shape.getMessage().contains("(4, 4, 2)"),
                shape.getMessage());
    }
}
