package lake;

import java.io.IOException;

import org.apache.parquet.io.DelegatingPositionOutputStream;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A table's files, read and written through the table's {@code FileIO} (a local warehouse, S3), as parquet-java's
 * reader and writer take them: a merge reads the key column of a data file and copies what it keeps from it.
 */
final class ParquetFiles {

    private ParquetFiles() {
    }

    static InputFile input(org.apache.iceberg.io.InputFile file) {
        return new InputFile() {
            @Override
            public long getLength() {
                return file.getLength();
            }

            @Override
            public SeekableInputStream newStream() {
                org.apache.iceberg.io.SeekableInputStream stream = file.newStream();
                return new DelegatingSeekableInputStream(stream) {
                    @Override
                    public long getPos() throws IOException {
                        return stream.getPos();
                    }

                    @Override
                    public void seek(long newPos) throws IOException {
                        stream.seek(newPos);
                    }
                };
            }

            @Override
            public String toString() {
                return file.location();
            }
        };
    }

    static OutputFile output(org.apache.iceberg.io.OutputFile file) {
        return new OutputFile() {
            @Override
            public PositionOutputStream create(long blockSizeHint) {
                return wrap(file.create());
            }

            @Override
            public PositionOutputStream createOrOverwrite(long blockSizeHint) {
                return wrap(file.createOrOverwrite());
            }

            @Override
            public boolean supportsBlockSize() {
                return false;
            }

            @Override
            public long defaultBlockSize() {
                return 0;
            }

            @Override
            public String getPath() {
                return file.location();
            }
        };
    }

    private static PositionOutputStream wrap(org.apache.iceberg.io.PositionOutputStream stream) {
        return new DelegatingPositionOutputStream(stream) {
            @Override
            public long getPos() throws IOException {
                return stream.getPos();
            }
        };
    }
}
