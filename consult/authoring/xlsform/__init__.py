"""XLSForm in and out: read a workbook (``read``), turn it into a definition (``convert``,
``types``), write a survey back (``write``), and the upload and download views (``views``)."""
