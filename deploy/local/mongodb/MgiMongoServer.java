import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

/**
 * The local database: mongo-java-server on a file-backed H2 MVStore, bound to one address.
 *
 * Usage: java -cp CLASSPATH MgiMongoServer HOST PORT STORE_FILE
 *
 * Why a launcher of our own rather than the library's H2MongoServer main:
 * - it binds the host and port we are given (the bundled main is fixed to localhost:27017);
 * - it declares MongoDB 4.4 (wire version 9): the versions the library ships report wire
 *   version 8 or lower, which pymongo 4.20 refuses (it needs 9, MongoDB 4.4, or later);
 * - it commits the store every 100 ms, like MongoDB's journal interval, instead of the
 *   MVStore default of one second: a killed process loses at most the last 100 ms of writes;
 * - it closes the store on SIGTERM, so a clean stop loses nothing;
 * - it stores documents as BSON rather than in Java serialization (BsonDocumentType), and
 *   rewrites a store of the older format once (StoreFormat).
 */
public final class MgiMongoServer {

    private static final int AUTO_COMMIT_DELAY_MS = 100;

    /** The MongoDB version reported by hello/buildInfo: the oldest one pymongo 4.20 accepts. */
    private static final MongoVersion DECLARED_VERSION = new MongoVersion() {
        @Override
        public List<Integer> getVersionArray() {
            return List.of(4, 4, 0);
        }

        @Override
        public int getWireVersion() {
            return 9;
        }
    };

    private MgiMongoServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: MgiMongoServer HOST PORT STORE_FILE");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        Path storeFile = Path.of(args[2]).toAbsolutePath();
        Files.createDirectories(storeFile.getParent());

        MVStore store = new MVStore.Builder().fileName(storeFile.toString()).open();
        store.setAutoCommitDelay(AUTO_COMMIT_DELAY_MS);
        StoreFormat.ensureBson(store);
        H2Backend backend = BsonH2Database.backend(store);
        backend.version(DECLARED_VERSION);

        MongoServer server = new MongoServer(backend);
        // shutdownNow closes the clients, then the backend, which commits and closes the store.
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow, "mgi-mongo-shutdown"));
        server.bind(host, port);
        System.out.println("mongo-java-server listening on " + host + ":" + port + ", store " + storeFile);
    }
}
