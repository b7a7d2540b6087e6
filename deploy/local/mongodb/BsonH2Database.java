import java.util.List;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;

/**
 * The H2 backend with collections' documents stored as BSON (see BsonDocumentType), unique
 * indexes searched and written without re-serializing their keys (see IndexKeyType), filters
 * naming `_id` among other fields served by the `_id` index, and documents read by position as
 * copies, so that an update never changes what the store is writing (see DetachedH2Collection).
 *
 * Only the opening of these maps differs from the library's: MVStore hands an already open map
 * back whatever type is asked for later, so the library's own drop, rename and index code keep
 * working on these maps unchanged.
 */
final class BsonH2Database extends H2Database {

    /** Map names of collections' documents, as the library names them (its prefix is private). */
    static final String DATA_MAP_PREFIX = "databases.";
    private static final String META_MAP_PREFIX = "meta.";
    /** Between a collection's namespace and an index name in the library's index map names. */
    private static final String INDEX_MAP_INFIX = "._index_";

    /**
     * The one store of this process. Static because the library's constructor opens the
     * existing collections (calling openOrCreateCollection below) before a field of this
     * subclass could be assigned.
     */
    private static MVStore store;

    private BsonH2Database(String databaseName, MVStore mvStore, CursorRegistry cursorRegistry) {
        super(databaseName, mvStore, cursorRegistry);
    }

    static MVMap.Builder<Object, Document> dataMapBuilder() {
        return new MVMap.Builder<Object, Document>().valueType(BsonDocumentType.INSTANCE);
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
        String fullName = getFullCollectionNamespace(collectionName);
        MVMap<Object, Document> dataMap = store.openMap(DATA_MAP_PREFIX + fullName, dataMapBuilder());
        MVMap<String, Object> metaMap = store.openMap(META_MAP_PREFIX + fullName);
        return new DetachedH2Collection(this, collectionName, options, dataMap, metaMap, cursorRegistry);
    }

    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                    boolean sparse) {
        // Opened here first, so the library's own opening of the same name gets this map back.
        store.openMap(getFullCollectionNamespace(collectionName) + INDEX_MAP_INFIX + indexName,
            IndexKeyType.mapBuilder());
        return super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse);
    }

    /** An H2 backend on `mvStore` whose databases are of this kind. */
    static H2Backend backend(MVStore mvStore) {
        store = mvStore;
        return new H2Backend(mvStore) {
            @Override
            protected H2Database openOrCreateDatabase(String databaseName) {
                return new BsonH2Database(databaseName, mvStore, getCursorRegistry());
            }
        };
    }
}
