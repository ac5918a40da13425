package convert;

/**
 * The forms of a number that schema inference reads as one: an exact number is an optional sign, digits without a
 * leading zero (a lone {@code 0} aside: {@code 007} stays text, as a zip code or an id should) and an optional point
 * with digits; a floating one has an exponent, or is NaN or Infinity.
 */
final class NumberText {

    /** The digits an exact number needs: before its point (a lone 0 counts none) and after it. */
    record Digits(int integer, int scale, boolean point) {
    }

    private NumberText() {
    }

    /** The digits of {@code text} as an exact number, or null when it is not one. */
    static Digits exact(String text) {
        int n = text.length();
        int i = 0;
        if (i < n && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
            i++;
        }
        int integerStart = i;
        while (i < n && isDigit(text.charAt(i))) {
            i++;
        }
        int integer = i - integerStart;
        if (integer > 1 && text.charAt(integerStart) == '0') {
            return null;
        }
        boolean point = i < n && text.charAt(i) == '.';
        int scale = 0;
        if (point) {
            i++;
            int fractionStart = i;
            while (i < n && isDigit(text.charAt(i))) {
                i++;
            }
            scale = i - fractionStart;
        }
        if (i != n || integer + scale == 0) {
            return null;
        }
        boolean loneZero = integer == 1 && text.charAt(integerStart) == '0';
        return new Digits(loneZero ? 0 : integer, scale, point);
    }

    /** An exponent form ({@code 1.5e3}, no leading zero) or NaN, Infinity, -Infinity. */
    static boolean isFloating(String text) {
        if (text.equals("NaN") || text.equals("Infinity") || text.equals("-Infinity")) {
            return true;
        }
        int e = Math.max(text.indexOf('e'), text.indexOf('E'));
        if (e <= 0 || e == text.length() - 1) {
            return false;
        }
        Digits mantissa = exact(text.substring(0, e));
        String exponent = text.substring(e + 1);
        int start = exponent.charAt(0) == '-' || exponent.charAt(0) == '+' ? 1 : 0;
        if (mantissa == null || start == exponent.length()) {
            return false;
        }
        for (int i = start; i < exponent.length(); i++) {
            if (!isDigit(exponent.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
