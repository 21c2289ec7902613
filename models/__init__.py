"""The models shipped with moksori, installed as the read-only ``moksori_models`` package.

``deployed.json`` names the default model version; each version lives in ``<name>/<version>/``. New versions and
deployments go to the installation's models root (see ``analyzer.classify.registry``), never here.
"""
