import java.util.Map;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.bson.Document;

/**
 * Which format a store's documents are in, and the one-off rewrite of a store written by an
 * earlier launcher (documents in Java serialization) into BSON, so no local data is lost.
 */
final class StoreFormat {

    private static final String FORMAT_MAP = "mgi.format";
    private static final String DOCUMENTS_KEY = "documents";
    private static final String BSON = "bson-1";
    private static final String REWRITE_SUFFIX = ".mgi-rewrite";
    private static final int COMMIT_EVERY = 1000;

    private StoreFormat() {
    }

    /** Rewrites every collection's documents as BSON unless the store says it was done. */
    static void ensureBson(MVStore store) {
        MVMap<String, String> format = store.openMap(FORMAT_MAP);
        if (BSON.equals(format.get(DOCUMENTS_KEY))) {
            return;
        }
        for (String name : store.getMapNames()) {
            if (name.startsWith(BsonH2Database.DATA_MAP_PREFIX) && !name.endsWith(REWRITE_SUFFIX)) {
                rewrite(store, name);
            }
        }
        format.put(DOCUMENTS_KEY, BSON);
        store.commit();
    }

    /** Copied into a new map, then swapped in: a crash part way leaves the original intact. */
    private static void rewrite(MVStore store, String name) {
        String partialName = name + REWRITE_SUFFIX;
        if (store.hasMap(partialName)) {
            store.removeMap(partialName);
        }
        MVMap<Object, Object> original = store.openMap(name);
        MVMap<Object, Document> rewritten = store.openMap(partialName, BsonH2Database.dataMapBuilder());
        int copied = 0;
        for (Map.Entry<Object, Object> entry : original.entrySet()) {
            rewritten.put(entry.getKey(), (Document) entry.getValue());
            if (++copied % COMMIT_EVERY == 0) {
                store.commit();
            }
        }
        store.removeMap(original);
        store.renameMap(rewritten, name);
        store.commit();
        System.out.println("rewrote " + copied + " documents of " + name + " as BSON");
    }
}
