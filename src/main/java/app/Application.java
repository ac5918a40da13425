package app;
public final class Application { public static void main(String[] a) {} }
