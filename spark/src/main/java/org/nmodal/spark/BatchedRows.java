package org.nmodal.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * A partition's numbered lines taken {@code batch} at a time and turned into rows lazily, so an executor holds one
 * batch of posts, not the partition; {@code done} runs once when the last row has been read.
 */
final class BatchedRows implements Iterator<Row> {
    private final Iterator<Tuple2<String, Long>> lines;
    private final int batch;
    private final Function<List<Tuple2<String, Long>>, List<Row>> rows;
    private final Runnable done;
    private Iterator<Row> current = Collections.emptyIterator();
    private boolean finished;

    BatchedRows(Iterator<Tuple2<String, Long>> lines, int batch, Function<List<Tuple2<String, Long>>, List<Row>> rows,
            Runnable done) {
        this.lines = lines;
        this.batch = batch;
        this.rows = rows;
        this.done = done;
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext() && lines.hasNext()) {
            List<Tuple2<String, Long>> next = new ArrayList<>(batch);
            while (lines.hasNext() && next.size() < batch) {
                next.add(lines.next());
            }
            current = rows.apply(next).iterator();
        }
        if (!current.hasNext() && !finished) {
            finished = true;
            done.run();
        }
        return current.hasNext();
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }
}
