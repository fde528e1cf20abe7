/** Only for the module path run; the class path build leaves this file out. */
module demo {
    requires io.github.panamasockets.api;
}
