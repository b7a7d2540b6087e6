import java.util.UUID;

import org.h2.mvstore.MVMap;

import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The library's H2 collection, except that a filter naming `_id` and other fields is served by
 * the `_id` index, that a document read by position (by `_id` or a unique
 * index: every read and write on the services' paths) is a copy of its top level, and that the
 * collection's data size is computed when asked (collStats, validate) instead of kept.
 *
 * The library updates a document by adding and removing fields of the very object it read,
 * then stores that object again. Read straight from the map, that object may sit in a page that
 * the store's background writer is serializing at that moment on its own thread: an update
 * adding a field (`$set` of a new one, `$max` on a first submission) then broke the writer's
 * iteration (ConcurrentModificationException), and MVStore closed the whole store ("This store
 * is closed"; found by `mgi bench` once intake's claims began setting a new field). With a copy
 * the update changes only the copy, which then replaces the stored object; the object being
 * written stays as it was. Updates keep nested values apart already: the library builds every
 * new value on a deep clone. A shallow copy costs a map of a document's top-level fields.
 *
 * Updates that find their documents by scanning the collection still get the stored objects;
 * the services make none (their tests check that an index serves every filter they write by).
 */
final class DetachedH2Collection extends H2Collection {

    private final MVMap<Object, Document> dataMap;

    DetachedH2Collection(H2Database database, String collectionName, CollectionOptions options,
                         MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap,
                         CursorRegistry cursorRegistry) {
        super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
        this.dataMap = dataMap;
    }

    /**
     * The library keeps a collection's data size up to date on every write by encoding the
     * document (both versions of it, for an update) once more just to count its bytes: a
     * profile of the database at 100 submissions/s found that as a ninth of its CPU time,
     * for a figure the services never read. Computed here only when a command asks for it.
     */
    @Override
    protected boolean tracksDataSize() {
        return false;
    }

    @Override
    protected int getDataSize() {
        if (dataMap == null) {
            return 0; // called by the library's constructor (for a debug line) before it is set
        }
        ByteBuf buffer = Unpooled.buffer();
        try {
            long size = 0;
            for (Document document : dataMap.values()) {
                buffer.clear();
                BsonEncoder.encodeDocument(document, buffer);
                size += buffer.writerIndex();
            }
            return (int) Math.min(size, Integer.MAX_VALUE);
        } finally {
            buffer.release();
        }
    }

    @Override
    protected Document getDocument(Object position) {
        Document stored = super.getDocument(position);
        return stored == null ? null : new Document(stored);
    }

    /**
     * A filter that names `_id` with a plain value and other fields besides (a compare-and-set
     * such as `{_id, version}`) reads the one document with that `_id`, then matches it whole.
     *
     * The library uses an index only for a filter naming exactly its fields, so such a filter
     * read the whole collection unless a unique index on exactly those fields existed; the
     * services used to create one per guarded field (three on scoring's collection), and every
     * write then kept each of them up to date: a profile at 100 submissions/s put about a
     * quarter of the server's CPU into that upkeep and the Java serialization of its keys.
     * MongoDB serves these filters by `_id` too.
     */
    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit,
                                         int batchSize, Document fieldSelector) {
        Object id = query.get(getIdField());
        if (query.size() > 1 && isPlainKey(id)) {
            Document byId = new Document(getIdField(), id);
            for (Index<Object> index : getIndexes()) {
                if (index.isUnique() && index.canHandle(byId)) {
                    return matchDocuments(query, index.getPositions(byId), orderBy, numberToSkip, limit,
                        batchSize, fieldSelector);
                }
            }
        }
        return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    /** An `_id` value that the index looks up as it is (not an operator, a regex or a list). */
    private static boolean isPlainKey(Object value) {
        return value instanceof String || value instanceof Number || value instanceof ObjectId
            || value instanceof UUID;
    }
}
