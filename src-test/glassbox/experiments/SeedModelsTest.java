package glassbox.experiments;

import glassbox.nn.GradientCheck;
import glassbox.nn.Sequential;
import glassbox.nn.io.ModelFiles;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed CNNs' summaries against the notebooks' printed ones, and a whole-model round trip of the custom one. */
class SeedModelsTest {

    @Test
    void defaultModelSummaryMatchesTheSeedNotebook() {
        String s = SeedModels.fashionDefault(0).summary();
        assertTrue(s.contains("conv2d (Conv2D)") && s.contains("(None, 28, 28, 32)") && s.contains("320"), s);
        assertTrue(s.contains("max_pooling2d (MaxPooling2D)") && s.contains("(None, 14, 14, 32)"), s);
        assertTrue(s.contains("conv2d_1 (Conv2D)") && s.contains("9248"), s);
        assertTrue(s.contains("flatten (Flatten)") && s.contains("(None, 6272)"), s);
        assertTrue(s.contains("dense (Dense)") && s.contains("31365"), s);
        assertTrue(s.contains("Total params: 40,933\nTrainable params: 40,933\nNon-trainable params: 0"), s);
    }

    @Test
    void customModelSummaryMatchesTheSeedNotebook() {
        String s = SeedModels.fashionCustom(0).summary();
        assertTrue(s.contains("(None, 26, 26, 128)") && s.contains("36992"), s);
        assertTrue(s.contains("batch_normalization (BatchNormalization)") && s.contains("512"), s);
        assertTrue(s.contains("conv2d_2 (Conv2D)") && s.contains("73792"), s);
        assertTrue(s.contains("(None, 6, 6, 64)") && s.contains("(None, 2304)") && s.contains("147520"), s);
        assertTrue(s.contains("Total params: 259,717\nTrainable params: 259,333\nNon-trainable params: 384"), s);
    }

    @Test
    void autoencoderHasTheSeedsShapesAndA128ValueCode() {
        Sequential ae = SeedModels.convAutoencoder(0);
        String s = ae.summary();
        // 3·3·1·16 + 16 = 160; 3·3·16·8 + 8 = 1160; four 3·3·8·8 + 8 = 584; 3·3·8·16 + 16 = 1168; 3·3·16 + 1 = 145
        assertTrue(s.contains("Total params: 4,969\nTrainable params: 4,969\n"), s);
        assertTrue(s.contains("max_pooling2d_2 (MaxPooling2D)") && s.contains("(None, 4, 4, 8)"), s);
        assertTrue(s.contains("(None, 14, 14, 16)") && s.contains("(None, 28, 28, 1)"), s);
        assertArrayEquals(new int[]{4, 4, 8}, ae.layer(SeedModels.AUTOENCODER_CODE_LAYER).outputShape());
        assertArrayEquals(new int[]{14, 14, 16}, ae.layers().get(11).outputShape(), "the valid Conv 16: 16 → 14");
    }

    @Test
    void kerasCnnHasKerasMnistCnnParameterCount() {
        String s = SeedModels.mnistKerasCnn(0).summary();
        // 320 + 18,496 + 9216·128 + 128 = 1,179,776 + 1,290
        assertTrue(s.contains("(None, 12, 12, 64)") && s.contains("(None, 9216)") && s.contains("1179776"), s);
        assertTrue(s.contains("Total params: 1,199,882"), s);
        assertTrue(SeedModels.denseHead(0, 4, 4, 8).summary().contains("Total params: 17,802"), "128·128 + 128 + 1,290");
    }

    @Test
    void savedCustomModelPredictsIdenticallyAfterLoading(@TempDir Path dir) throws Exception {
        Sequential model = SeedModels.fashionCustom(3);
        // move the batch statistics off their defaults, so the moving mean and variance must travel too
        model.compile(new glassbox.nn.loss.CategoricalCrossentropy(), new glassbox.nn.optim.Adam());
        Tensor x = GradientCheck.uniform(1, 0, 1, 16, 28, 28, 1);
        Tensor y = glassbox.data.Transforms.oneHot(new int[]{0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0}, 5);
        model.fit(x, y, glassbox.nn.FitOptions.defaults().withEpochs(2).withBatchSize(8).withVerbose(false));
        Path file = dir.resolve("custom.gbx");
        ModelFiles.save(model, file);
        Sequential loaded = ModelFiles.load(file);
        assertArrayEquals(model.predict(x).data(), loaded.predict(x).data());
    }
}
