  #  language :  em  
 @é @@x @a @z # @y
 📚: :
