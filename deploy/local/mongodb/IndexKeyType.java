import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

import org.h2.mvstore.MVMap;
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
 */
final class IndexKeyType extends ObjectDataType {

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

    private byte[] bytes(KeyValue key) {
        byte[] known = serialized.get(key);
        if (known == null) {
            known = serialize(key);
            serialized.put(key, known);
        }
        return known;
    }
}
