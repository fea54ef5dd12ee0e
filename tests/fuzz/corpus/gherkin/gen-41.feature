#language:en
      Feature:
