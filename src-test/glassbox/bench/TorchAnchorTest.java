package glassbox.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TorchAnchorTest {
    /** The repository's own peer script exists and offers exactly the models routed to it. */
    @Test
    void seed003PeersLiveInTheRepositoryScript() throws IOException {
        Path script = Path.of("benchmarks", "python", "torch_seed003.py");
        assertTrue(Files.isRegularFile(script), script + " is missing");
        String text = Files.readString(script);
        for (String model : TorchAnchor.REPOSITORY_PEERS) {
            assertTrue(text.contains("\"" + model + "\""), script + " does not offer the model " + model);
        }
    }
}
