package convert;

import core.BadInputException;
import config.ConvertConfig.Limits;

/** The failures of a CSV record beyond the {@link Limits}, or never closed, each naming its line and the property. */
final class RecordLimits {

    private RecordLimits() {
    }

    static BadInputException tooManyFields(long line, Limits limits) {
        return new BadInputException("line " + line + ": the record has more than " + limits.maxFieldsPerRecord()
                + " fields (pipeline.convert.maxFieldsPerRecord)");
    }

    static BadInputException fieldTooLong(long line, Limits limits) {
        return new BadInputException("line " + line + ": a field is longer than " + size(limits.maxFieldBytes())
                + " (pipeline.convert.maxFieldBytes)");
    }

    static BadInputException quotedFieldTooLong(long line, Limits limits) {
        return new BadInputException("line " + line + ": a quoted field starting there is longer than "
                + size(limits.maxFieldBytes()) + " (pipeline.convert.maxFieldBytes); is a quote left open?");
    }

    static BadInputException recordTooLong(long line, Limits limits) {
        return new BadInputException("line " + line + ": the record is longer than " + size(limits.maxRecordBytes())
                + " (pipeline.convert.maxRecordBytes)");
    }

    static BadInputException unterminatedQuote(long line) {
        return new BadInputException("unterminated quoted field starting on line " + line);
    }

    private static String size(int bytes) {
        if (bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MB";
        }
        if (bytes % (1 << 10) == 0) {
            return (bytes >> 10) + " KB";
        }
        return bytes + " bytes";
    }
}
