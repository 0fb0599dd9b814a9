"""Exported models at run time: folders of data (files, arrays), their scoring graph (score, words)
and explanations (explain). The exporter from fitted pipelines is training code (:mod:`..training.export`)."""
