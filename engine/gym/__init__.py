"""The repair gym: real crates, one injected human mistake each, and the measure of who fixes them."""
