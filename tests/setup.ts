// Every kernel test runs on both binaries: the scalar one is opt-in in the default entry, so register
// it here, as a user would with `import "dead-directions/scalar"`.
import "../src/entry/scalar.js";
