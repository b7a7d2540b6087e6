import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;

import de.bwaldvogel.mongo.backend.KeyValue;

/**
 * The key type of unique-index maps: H2's own ObjectDataType, with the same stored form and the
 * same order, but without serializing both keys again on every comparison.
 *
 * The library's index keys (KeyValue) are not Comparable, so H2 orders them by their Java
 * serialization, and computed it afresh for each comparison of a B-tree search: a profile of
 * the submission path found that as a fifth of the server's CPU time. Here each key's bytes are
 * computed once and kept while the key object lives (the pages in H2's cache hold them). The
 * order is exactly H2's, so stores written before this type read and search as they did.
 *
 * The same bytes are what a page stores for the key, so a page written back (every commit
 * rewrites each changed page whole, with every key on it) takes them from there too instead of
 * serializing each key once more: that was a tenth of the server's CPU time at 100
 * submissions/s. The stored form is H2's own for a serialized object.
 */
final class IndexKeyType extends ObjectDataType {

    /** H2's type tag of a value stored in Java serialization (ObjectDataType.TYPE_SERIALIZED_OBJECT). */
    private static final int SERIALIZED_OBJECT = 19;

    private final Map<KeyValue, byte[]> serialized = Collections.synchronizedMap(new WeakHashMap<>());

    static MVMap.Builder<Object, Object> mapBuilder() {
        return new MVMap.Builder<Object, Object>().keyType(new IndexKeyType());
    }

    @Override
    public int compare(Object a, Object b) {
        if (a instanceof KeyValue left && b instanceof KeyValue right) {
            return left == right ? 0 : compareNotNull(bytes(left), bytes(right));
        }
        return super.compare(a, b);
    }

    @Override
    public void write(WriteBuffer buffer, Object key) {
        if (key instanceof KeyValue known) {
            byte[] bytes = bytes(known);
            buffer.put((byte) SERIALIZED_OBJECT).putVarInt(bytes.length).put(bytes);
            return;
        }
        super.write(buffer, key);
    }

    private byte[] bytes(KeyValue key) {
        byte[] known = serialized.get(key);
        if (known == null) {
            known = serialize(key);
            serialized.put(key, known);
        }
        return known;
    }
}
